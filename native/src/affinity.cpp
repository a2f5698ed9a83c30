// See affinity.hpp. Linux sched/pthread affinity; elsewhere every call is a no-op.
#include "affinity.hpp"

#include <cstdlib>
#include <sstream>

#if defined(__linux__)
#include <pthread.h>
#endif

namespace affinity {
#if defined(__linux__)
namespace {
cpu_set_t started;  // the process's affinity before bind()
bool bound = false;
}  // namespace

bool parse(const std::string& text, cpu_set_t& set) {
  CPU_ZERO(&set);
  std::stringstream ss(text);
  std::string part;
  int count = 0;
  while (std::getline(ss, part, ',')) {
    if (part.empty()) continue;
    const auto dash = part.find('-');
    const int lo = std::atoi(part.c_str()), hi = dash == std::string::npos ? lo : std::atoi(part.c_str() + dash + 1);
    for (int i = lo; i <= hi && i >= 0 && i < CPU_SETSIZE; ++i, ++count) CPU_SET(i, &set);
  }
  return count > 0;
}

namespace {
std::string format(const cpu_set_t& set) {
  std::string out;
  for (int i = 0; i < CPU_SETSIZE; ++i) {
    if (!CPU_ISSET(i, &set)) continue;
    int j = i;
    while (j + 1 < CPU_SETSIZE && CPU_ISSET(j + 1, &set)) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(i) + (j > i ? "-" + std::to_string(j) : "");
    i = j;
  }
  return out;
}
}  // namespace

std::string normalise(const std::string& cpulist) {
  cpu_set_t set;
  return parse(cpulist, set) ? format(set) : "";
}

std::string bind(const std::string& cpulist) {
  cpu_set_t want, now, both;
  if (!parse(cpulist, want) || sched_getaffinity(0, sizeof now, &now) != 0) return "";
  CPU_AND(&both, &want, &now);
  if (CPU_COUNT(&both) == 0 || sched_setaffinity(0, sizeof both, &both) != 0) return "";
  if (!bound) started = now, bound = true;
  return format(both);
}

void restore_for_worker() {
  if (bound) pthread_setaffinity_np(pthread_self(), sizeof started, &started);
}
#else
std::string normalise(const std::string&) { return ""; }
std::string bind(const std::string&) { return ""; }
void restore_for_worker() {}
#endif
}  // namespace affinity
