"""Assets: files uploaded to S3 with presigned POSTs and fetched with presigned GETs."""
