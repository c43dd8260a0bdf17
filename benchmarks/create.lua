-- wrk script: POST the resource in BENCH_CREATE with the bearer token from BENCH_TOKEN.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/fhir+json"
wrk.body = os.getenv("BENCH_CREATE")
