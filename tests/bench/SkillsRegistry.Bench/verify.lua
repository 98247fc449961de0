-- wrk script: GET <prefix><number> for certificate numbers read from a file (one per line), or made on the fly.
-- Usage: wrk ... -s verify.lua http://127.0.0.1:PORT -- <prefix> <numbers> [uniform | zipf <s> [<share>] | sequential <threads>]
--   <numbers>   a file, or serials:<year>:<region>:<count>: the numbers of serials <count> down to 1 (line k = serial
--               count - k + 1, the newest first), computed per request instead of held (ten million strings per thread
--               would take gigabytes)
--   uniform     every number equally likely (default)
--   zipf <s>    the number on line k is asked with probability proportional to 1/k^s (a few numbers very often, most rarely);
--               with <share>, that share of the requests is uniform instead (holders applying for jobs, long after issue)
--   sequential  each thread walks its own share of the file once, then again (to fill a cache)
local numbers = {}
local count = 0
local serial_year, serial_region = nil, nil
local uniform_share = 0
local alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
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
  local year, region, total = args[2]:match("^serials:(%d+):(%w+):(%d+)$")
  if year then
    serial_year, serial_region, count = year, region, tonumber(total)
  else
    for line in io.lines(args[2]) do
      if #line > 0 then numbers[#numbers + 1] = line end
    end
    count = #numbers
  end
  mode = args[3] or "uniform"
  local address = tostring({}):match("0x(%x+)")
  math.randomseed(os.time() + (address and tonumber(address:sub(-6), 16) or 0))
  if mode == "zipf" then
    local s = tonumber(args[4] or "1.1")
    uniform_share = tonumber(args[5] or "0")
    cdf = {}
    local total = 0
    for k = 1, count do
      total = total + k ^ (-s)
      cdf[k] = total
    end
    for k = 1, count do cdf[k] = cdf[k] / total end
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

-- The displayed number of a serial: YYYY-RR-NNNNNNNNN-C, C by ISO/IEC 7064 MOD 37-2 (as CertificateNumber.Format).
local function number_of(serial)
  local body = serial_year .. serial_region .. string.format("%09d", serial)
  local p = 0
  for i = 1, #body do
    p = ((p + alphabet:find(body:sub(i, i), 1, true) - 1) * 2) % 37
  end
  local check = (38 - p) % 37
  return body:sub(1, 4) .. "-" .. body:sub(5, 6) .. "-" .. body:sub(7) .. "-" .. alphabet:sub(check + 1, check + 1)
end

function request()
  local index
  if mode == "zipf" and (uniform_share == 0 or math.random() >= uniform_share) then
    index = zipf_index()
  elseif mode == "sequential" then
    index = next_line
    next_line = next_line + stride
    if next_line > count then next_line = 1 + (thread_index or 0) end
  else
    index = math.random(count)
  end
  local number = serial_year and number_of(count - index + 1) or numbers[index]
  return wrk.format("GET", prefix .. number)
end
