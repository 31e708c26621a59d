-- wrk script for bench/load_bench.sh: a mix of cached and uncached Databank queries.
-- CACHED_SHARE (0..1, default 0.8) of the requests repeat one of a small set of popular
-- tables (answered from the server's answer cache after their first time); the rest are new
-- queries (free age bands × latest-N periods × a municipality, a counter walks through about
-- 290,000 combinations), so the engine computes them. Every response is checked: wrk counts a
-- status outside 200/304 as an error ("Non-2xx or 3xx responses").
local popular = {
  "/api/v1/data?measure=sdp_persons&period=latest:12&area=municipality:151&breakdown=duration:26-39",
  "/api/v1/data?measure=sdp_persons&period=latest:12&area=region",
  "/api/v1/data?measure=kth_persons&period=latest:4Q&area=region&breakdown=age",
  "/api/v1/data?measure=adp_persons&period=latest:24&area=country&breakdown=sex",
  "/api/v1/data?measure=kth_fte&period=latest:12&area=landsdel",
  "/api/v1/data?measure=sdp_spells_started&period=latest:12&area=region:84",
  "/api/v1/data?measure=adp_fte&period=latest:3Y&area=municipality_group",
  "/api/v1/data?measure=kth_persons&period=latest:12&area=municipality:101,147,151&areaTotal=true",
  "/api/v1/data?measure=udh_persons&period=latest:8Q&area=country&breakdown=origin",
  "/api/v1/data?measure=sdp_persons&period=latest:6&area=jobcentre:151&format=csv-dk",
  "/api/v1/menu",
  "/api/v1/measures/sdp_persons",
  "/api/v1/releases/latest",
}
local municipalities = {101,147,151,153,155,157,159,161,163,165,167,169,173,175,183,185,187,190,
  201,210,217,219,223,230,240,250,253,259,260,265,269,270,306,316,320,326,329,330,336,340,350,
  360,370,376,390,400,410,420,430,440,450,461,479,480,482,492,510,530,540,550,561,563,573,575,
  580,607,615,621,630,657,661,665,671,706,707,710,727,730,740,741,746,751,756,760,766,773,779,
  787,791,810,813,820,825,840,846,849,851,860}
local share = tonumber(os.getenv("CACHED_SHARE") or "0.8")
local counter = 0
-- Each wrk run starts its counters somewhere new (setup runs in this main state): unseeded,
-- every run would start from the same offsets, and the benchmark's run would repeat the
-- queries its warm-up had just put in the server's answer cache.
math.randomseed(os.time())

function setup(thread)
  thread:set("offset", math.random(0, 1000000))
end

function init(args)
  counter = offset or 0
  math.randomseed(os.time() + counter)
end

function request()
  counter = counter + 1
  if math.random() < share then
    return wrk.format("GET", popular[(counter % #popular) + 1])
  end
  local n = counter
  local upper = 17 + (n % 83)
  n = math.floor(n / 83)
  local periods = 1 + (n % 36)
  n = math.floor(n / 36)
  local code = municipalities[(n % #municipalities) + 1]
  return wrk.format("GET", string.format(
    "/api/v1/data?measure=kth_persons&period=latest:%d&area=municipality:%d&breakdown=age:16-%d,%d-",
    periods, code, upper, upper + 1))
end
