-- A POST with a fixed body; scripts/bench sets BODY_FILE and CONTENT_TYPE by prepending
-- `bench_body_file = "…"` and `bench_content_type = "…"` to this file.
local f = assert(io.open(bench_body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = bench_content_type
