# The one Lambda function's image: runtime dependencies from the pinned image lock, then the app.
# Build: docker build --platform linux/amd64 --provenance=false -t planforge .
#
# Pinned by tag: the AWS base image for Python 3.11 (Lambda runtime interface client and
# emulator included). Pin it by digest too, `python:3.11@sha256:<digest>`, once the digest
# is read from the registry (`docker buildx imagetools inspect`); this repository was
# written on machines that cannot reach it.
FROM public.ecr.aws/lambda/python:3.11

# requirements/image.lock is runtime.lock without what the code never imports (make lock writes
# it with scripts/image_lock.py, which says why for each): numpy (langchain-aws needs it only for
# embeddings and vector stores), zstandard (langsmith's trace compression, optional; tracing is
# off) and websockets (langsmith's sandbox). --no-deps installs exactly the listed set, so those
# stay out; scripts/image_smoke.py installs the same set the same way and runs every domain and
# both AI paths (chat and structured output through ChatBedrockConverse) on it. The lock pins
# boto3/botocore too, so the base image's copies are shadowed by known versions.
# Bytecode is compiled here for the dependencies, in their layer; unchecked-hash skips the source
# mtime check on each start (the task root is read-only at run time).
COPY requirements/image.lock /tmp/image.lock
RUN pip install --no-cache-dir --disable-pip-version-check --no-deps --require-hashes \
        --no-compile --target "${LAMBDA_TASK_ROOT}" -r /tmp/image.lock \
    && rm /tmp/image.lock \
    && python -m compileall -q -j 0 --invalidation-mode unchecked-hash "${LAMBDA_TASK_ROOT}"

# The app last: a code change rebuilds only this layer, compiled the same way.
COPY app/ ${LAMBDA_TASK_ROOT}/app/
RUN python -m compileall -q -j 0 --invalidation-mode unchecked-hash "${LAMBDA_TASK_ROOT}/app"

CMD ["app.handler.handler"]
