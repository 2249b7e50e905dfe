-- wrk script for benches/run's mixed run: 90 % category pages, 10 % add-to-cart, as one
-- visitor per wrk thread (cookie and form token read from the environment).
local cookie = os.getenv("BENCH_COOKIE")
local token = os.getenv("BENCH_CSRF")
local product = os.getenv("BENCH_PRODUCT")
local page = os.getenv("BENCH_PAGE")
local add = "_csrf=" .. token .. "&product_id=" .. product .. "&quantity=1"

request = function()
  if math.random(10) == 1 then
    return wrk.format("POST", "/cart/add", {
      ["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Origin"] = "http://127.0.0.1:" .. os.getenv("BENCH_PORT"),
    }, add)
  end
  return wrk.format("GET", page, { ["Cookie"] = cookie })
end

-- wrk counts 3xx as success; the add answers 303 when it worked. Anything 4xx/5xx is counted.
