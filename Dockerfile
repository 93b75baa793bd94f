# The one Lambda function's image: runtime dependencies from the pinned lock, then the app.
# Build: docker build --platform linux/amd64 --provenance=false -t planforge .
#
# Pinned by tag: the AWS base image for Python 3.11 (Lambda runtime interface client and
# emulator included). Pin it by digest too, `python:3.11@sha256:<digest>`, once the digest
# is read from the registry (`docker buildx imagetools inspect`); this repository was
# written on machines that cannot reach it.
FROM public.ecr.aws/lambda/python:3.11

# Exactly the set tests/infra's image smoke check installs and imports (no dev tools).
# The lock pins boto3/botocore too, so the base image's copies are shadowed by known versions.
COPY requirements/runtime.lock /tmp/runtime.lock
RUN pip install --no-cache-dir --disable-pip-version-check \
        --target "${LAMBDA_TASK_ROOT}" -r /tmp/runtime.lock \
    && rm /tmp/runtime.lock

# The app last: a code change rebuilds only this layer. The task root is read-only at run
# time, so compile bytecode now; unchecked-hash skips the source mtime check on each start.
COPY app/ ${LAMBDA_TASK_ROOT}/app/
RUN python -m compileall -q -j 0 --invalidation-mode unchecked-hash "${LAMBDA_TASK_ROOT}"

CMD ["app.handler.handler"]
