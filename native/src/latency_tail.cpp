// See latency_tail.hpp.
#include "latency_tail.hpp"

#include <cstdlib>
#include <cstring>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#endif

namespace lat {
namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
}  // namespace

TailKnobs TailKnobs::from_env() {
  TailKnobs k;
  if (!env("GPUCTL_BENCH_LAT_SYNC").empty()) k.sync = env("GPUCTL_BENCH_LAT_SYNC");
  if (env("GPUCTL_BENCH_LAT_WAIT") == "sync") k.wait = "sync";
  if (!env("GPUCTL_BENCH_LAT_PIN").empty()) k.pin = env("GPUCTL_BENCH_LAT_PIN");
  k.fifo = env("GPUCTL_BENCH_LAT_FIFO") == "1";
  k.mlock = env("GPUCTL_BENCH_LAT_MLOCK") == "1";
  if (env("GPUCTL_BENCH_LAT_FORM") == "copy" || env("GPUCTL_BENCH_LAT_FORM") == "mapped_loop") k.form = env("GPUCTL_BENCH_LAT_FORM");
  return k;
}

std::string TailKnobs::describe() const {
  std::string s = "sync=" + sync + " wait=" + wait;
  s += " pin=" + pin;
  if (fifo) s += " fifo";
  if (mlock) s += " mlock";
  if (form != "mapped") s += " form=" + form;
  return s;
}

#if defined(__linux__)
Usage Usage::thread_now() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return {ru.ru_minflt, ru.ru_majflt, ru.ru_nvcsw, ru.ru_nivcsw};
}

TailScope::TailScope(const TailKnobs& k) {
  static_assert(sizeof(cpu_set_t) <= sizeof saved_aff_, "cpu_set_t");
  if (k.pin != "none") {
    cpu_set_t now;
    if (pthread_getaffinity_np(pthread_self(), sizeof now, &now) == 0) {
      std::memcpy(saved_aff_, &now, sizeof now);
      int cpu = -1;
      if (k.pin == "first" || k.pin == "last") {  // CPU 0 takes most of a VM's function-call interrupts: last
        for (int i = 0; i < CPU_SETSIZE; ++i)
          if (CPU_ISSET(i, &now) && (cpu < 0 || k.pin == "last")) cpu = i;
      } else {
        cpu = std::atoi(k.pin.c_str());
      }
      cpu_set_t one;
      CPU_ZERO(&one);
      if (cpu >= 0 && cpu < CPU_SETSIZE) CPU_SET(cpu, &one);
      if (cpu >= 0 && pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0) {
        restore_aff_ = true;
        applied += " pinned to CPU " + std::to_string(cpu);
      } else {
        applied += " pin failed";
      }
    }
  }
  if (k.fifo) {
    sched_param sp{};
    if (pthread_getschedparam(pthread_self(), &saved_policy_, &sp) == 0) saved_prio_ = sp.sched_priority;
    sched_param fp{};
    fp.sched_priority = 50;
    if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &fp) == 0) {
      restore_sched_ = true;
      applied += " SCHED_FIFO 50";
    } else {
      applied += " SCHED_FIFO refused";
    }
  }
}

TailScope::~TailScope() {
  if (restore_sched_) {
    sched_param sp{};
    sp.sched_priority = saved_prio_;
    pthread_setschedparam(pthread_self(), saved_policy_, &sp);
  }
  if (restore_aff_) {
    cpu_set_t s;
    std::memcpy(&s, saved_aff_, sizeof s);
    pthread_setaffinity_np(pthread_self(), sizeof s, &s);
  }
}

void mlock_once(const TailKnobs& k) {
  static bool done = false;
  if (k.mlock && !done) done = mlockall(MCL_CURRENT | MCL_FUTURE) == 0;
}
#else
Usage Usage::thread_now() { return {}; }
TailScope::TailScope(const TailKnobs&) {}
TailScope::~TailScope() {}
void mlock_once(const TailKnobs&) {}
#endif
}  // namespace lat
