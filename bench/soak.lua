-- wrk -s bench/soak.lua <origin> -- <paths file>: the soak test's readers
-- (bench/soak.py). Each request goes to a path drawn at random from the
-- file, one path a line; a path written on several lines is drawn as many
-- times more often. At the end, one line with the figures bench/soak.py
-- reads (latencies in microseconds) and one with each status answered.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  if #paths == 0 then
    error("no paths in " .. args[1])
  end
  -- A seed of its own for each thread: otherwise they all draw alike.
  math.randomseed(os.time() * 1000 + id)
  statuses = {}
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "SOAK requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "connect=%d read=%d write=%d timeout=%d non2xx3xx=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status))
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(totals) do
    table.insert(parts, string.format("%d=%d", status, count))
  end
  table.sort(parts)
  io.write("SOAK_STATUSES " .. table.concat(parts, " ") .. "\n")
end
