"""DynamoDB table specs: the one source for the app, the local emulator and the Terraform check."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Index:
    """A global secondary index projecting all attributes."""

    name: str
    hash_key: str
    range_key: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """A table's logical name, keys (all strings), indexes and TTL attribute."""

    name: str
    hash_key: str
    range_key: str | None = None
    indexes: tuple[Index, ...] = field(default_factory=tuple)
    ttl_attribute: str | None = None
    # Data tables get deletion protection and prevent_destroy in Terraform.
    holds_user_data: bool = True

    def keys_of(self, index: str | None) -> tuple[str, str | None]:
        """Return the (hash, range) key names of the table, or of one of its indexes."""
        if index is None:
            return self.hash_key, self.range_key
        for candidate in self.indexes:
            if candidate.name == index:
                return candidate.hash_key, candidate.range_key
        raise KeyError(f"{self.name} has no index {index!r}")

    def key_attributes(self) -> list[str]:
        """Return every attribute used as a key by the table or an index, without duplicates."""
        names = [self.hash_key, self.range_key]
        for index in self.indexes:
            names += [index.hash_key, index.range_key]
        return list(dict.fromkeys(n for n in names if n))


# Fixed-window counters: AI quotas and rate limits on public routes.
COUNTERS = TableSpec(
    name="counters",
    hash_key="counterKey",
    ttl_attribute="expiresAt",
    holds_user_data=False,
)
# Notifications that must not be lost: written with the change, deleted once sent.
# sweepShard = "<0..3>" spreads the sweep's Query (createdAt < cutoff) over a few partitions.
OUTBOX = TableSpec(
    name="outbox",
    hash_key="outboxId",
    indexes=(Index("bySweepShard", "sweepShard", "createdAt"),),
    ttl_attribute="expiresAt",
)
# Attribute names are Powertools' DynamoDBPersistenceLayer defaults.
IDEMPOTENCY = TableSpec(
    name="idempotency",
    hash_key="id",
    ttl_attribute="expiration",
    holds_user_data=False,
)

# Shared by every domain. Each domain lists the tables it owns in its `domain.py`.
CORE_TABLES: tuple[TableSpec, ...] = (COUNTERS, OUTBOX, IDEMPOTENCY)
