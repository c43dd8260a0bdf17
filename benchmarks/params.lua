-- wrk script: a different request each time, from a URL template and a table of parameters.
--   BENCH_PATH    the path and query, with {name} for a column of the table: /fhir/r4/Patient/{id}
--   BENCH_PARAMS  a tab-separated file, its first line the column names (id, family, code, token, …);
--                 each request takes the next row (round robin, each thread starting elsewhere)
--   BENCH_METHOD  GET (default) or POST
--   BENCH_BODY    the body, with {name} as in BENCH_PATH, and {n}: a number no other request of the run has
--   BENCH_TYPE    its Content-Type (default application/fhir+json)
--   BENCH_TOKEN   a bearer token, or BENCH_BASIC: the whole Authorization header (Basic …)
--   BENCH_EXPECT  a string every good answer holds ("entry": a search that found something, "active":true):
--                 the 2xx answers without it are counted as "missed"
-- done() prints one line for benchmarks/bench.sh:
--   BENCH requests=… seconds=… rate=… p50_ms=… p99_ms=… non2xx=… socket=… missed=…

local path = os.getenv("BENCH_PATH") or "/"
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local expect = os.getenv("BENCH_EXPECT")
local headers = { ["Accept"] = "application/fhir+json" }
if os.getenv("BENCH_TOKEN") then
  headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
elseif os.getenv("BENCH_BASIC") then
  headers["Authorization"] = os.getenv("BENCH_BASIC")
  headers["Accept"] = "application/json"
end
if body then
  headers["Content-Type"] = os.getenv("BENCH_TYPE") or "application/fhir+json"
end

-- The table: rows of {column = value}.
local rows = {}
local file = os.getenv("BENCH_PARAMS")
if file then
  local names
  for line in io.lines(file) do
    local fields = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      fields[#fields + 1] = field
    end
    if not names then
      names = fields
    else
      local row = {}
      for i, name in ipairs(names) do
        row[name] = fields[i]
      end
      rows[#rows + 1] = row
    end
  end
end
if #rows == 0 then
  rows[1] = {}
end

-- setup runs in the main Lua state once per thread, before that thread's init.
local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_number", #threads)
end

local next_row, counter, non2xx, missed, shown
function init(args)
  next_row = math.floor((thread_number - 1) * 0.618 * #rows) % #rows + 1
  counter, non2xx, missed, shown = 0, 0, 0, 0
end

local function fill(template, row)
  return (template:gsub("{(%w+)}", function(name)
    if name == "n" then
      return string.format("%d%09d", thread_number, counter)
    end
    return row[name]
  end))
end

function request()
  local row = rows[next_row]
  next_row = next_row % #rows + 1
  counter = counter + 1
  return wrk.format(method, fill(path, row), headers, body and fill(body, row) or nil)
end

function response(status, response_headers, response_body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if shown < 3 then
      shown = shown + 1
      io.stderr:write("HTTP " .. status .. ": " .. (response_body or ""):sub(1, 300) .. "\n")
    end
  elseif expect and not (response_body or ""):find(expect, 1, true) then
    missed = missed + 1
  end
  -- wrk's Lua states are per thread: done() reads these through thread:get
  _G.bench_non2xx, _G.bench_missed = non2xx, missed
end

function done(summary, latency, requests)
  local bad, none = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("bench_non2xx") or 0)
    none = none + (thread:get("bench_missed") or 0)
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("BENCH requests=%d seconds=%.2f rate=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d socket=%d missed=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    bad, e.connect + e.read + e.write + e.timeout, none))
end
