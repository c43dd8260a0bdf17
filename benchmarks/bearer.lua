-- wrk script: GET with the bearer token from BENCH_TOKEN (none when it is empty).
local token = os.getenv("BENCH_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.headers["Accept"] = "application/fhir+json"
