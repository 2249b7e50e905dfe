-- wrk script for benches/run's uncached pages: every request asks for BENCH_PATH with a query
-- string never asked before (as filters, sorts, pages and crawlers do), so the page cache
-- answers none of them and each is rendered.
local path = os.getenv("BENCH_PATH")
local sep = path:find("?", 1, true) and "&" or "?"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", path .. sep .. "u=" .. tid .. "-" .. n)
end
