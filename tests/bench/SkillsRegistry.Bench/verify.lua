-- wrk script: GET <prefix><number> for certificate numbers read from a file (one per line, in random order).
-- Usage: wrk ... -s verify.lua http://127.0.0.1:PORT -- <prefix> <numbers.txt> [uniform | zipf <s> | sequential <threads>]
--   uniform     every number equally likely (default)
--   zipf <s>    the number on line k is asked with probability proportional to 1/k^s (a few numbers very often, most rarely)
--   sequential  each thread walks its own share of the file once, then again (to fill a cache)
local numbers = {}
local prefix = "/"
local mode = "uniform"
local cdf = nil
local next_line = 1
local stride = 1

-- Runs in wrk's main state once per thread: thread_index becomes a global in that thread's own state.
local counter = 0
function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

function init(args)
  prefix = args[1]
  for line in io.lines(args[2]) do
    if #line > 0 then numbers[#numbers + 1] = line end
  end
  mode = args[3] or "uniform"
  local address = tostring({}):match("0x(%x+)")
  math.randomseed(os.time() + (address and tonumber(address:sub(-6), 16) or 0))
  if mode == "zipf" then
    local s = tonumber(args[4] or "1.1")
    cdf = {}
    local total = 0
    for k = 1, #numbers do
      total = total + k ^ (-s)
      cdf[k] = total
    end
    for k = 1, #numbers do cdf[k] = cdf[k] / total end
  elseif mode == "sequential" then
    stride = tonumber(args[4] or "1")
    next_line = 1 + (thread_index or 0)
  end
end

-- The smallest k with cdf[k] >= u (binary search).
local function zipf_index()
  local u = math.random()
  local low, high = 1, #cdf
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cdf[middle] < u then low = middle + 1 else high = middle end
  end
  return low
end

function request()
  local index
  if mode == "zipf" then
    index = zipf_index()
  elseif mode == "sequential" then
    index = next_line
    next_line = next_line + stride
    if next_line > #numbers then next_line = 1 + (thread_index or 0) end
  else
    index = math.random(#numbers)
  end
  return wrk.format("GET", prefix .. numbers[index])
end
