-- wrk script for tools/bench/run: one request shape per run, from the env,
-- and a machine-readable summary line at the end.
--   BENCH_METHOD  GET (default) | POST
--   BENCH_BODY    request body (sent with Content-Type: application/json)
--   BENCH_TOKEN   bearer token (Authorization header) when set
--   BENCH_HEADERS extra headers, one "Name: value" per line (e.g. the MCP
--                 routes' MCP-Protocol-Version and Accept, the proxy's
--                 X-Locker-Forward-Path)
--   BENCH_EXPECT  when set, a 2xx answer whose body does not contain this
--                 string is counted as a bad answer (e.g. the upstream's marker
--                 in a proxied body)
--   BENCH_REJECT  when set, a 2xx answer whose body contains this string is
--                 counted as a bad answer (e.g. an MCP `"isError":true`
--                 result, which comes with HTTP 200)
-- Without BENCH_EXPECT and BENCH_REJECT no response() hook is defined, so wrk
-- does not hand bodies to Lua at all. With either, the hook also counts every
-- answer outside 2xx exactly (wrk's own status count only covers >= 400):
-- "bad" and "non2xx" in the summary; null when not checked.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
local token = os.getenv("BENCH_TOKEN") or ""
local extra = os.getenv("BENCH_HEADERS") or ""
local expect = os.getenv("BENCH_EXPECT") or ""
local reject = os.getenv("BENCH_REJECT") or ""
local checked = expect ~= "" or reject ~= ""

wrk.method = method
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
for line in extra:gmatch("[^\n]+") do
  local name, value = line:match("^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

-- Per-thread counters (each wrk thread has its own Lua state); done() reads
-- them through the thread handles collected by setup().
bad = 0
non2xx = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

if checked then
  function response(status, headers, b)
    if status < 200 or status > 299 then
      non2xx = non2xx + 1
      return
    end
    b = b or ""
    if (expect ~= "" and not b:find(expect, 1, true)) or (reject ~= "" and b:find(reject, 1, true)) then
      bad = bad + 1
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local checks = "null"
  if checked then
    local nb, nn = 0, 0
    for _, t in ipairs(threads) do
      nb = nb + (t:get("bad") or 0)
      nn = nn + (t:get("non2xx") or 0)
    end
    checks = string.format('{"bad":%d,"non2xx":%d}', nb, nn)
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},"checks":%s}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, checks))
end
