// Issue 21, the GPU latency tail: what the host takes from a busy thread, with no GPU involved. Pinned to one
// CPU, it spins reading CLOCK_MONOTONIC for a few seconds and records every gap above 2 us (timer ticks, other
// interrupts, and time the hypervisor runs something else on the vCPU); it prints the gap percentiles, the share
// of time lost, and the median spacing of the gaps of 5 us or more. bench/tickprobe.sh builds and runs it.
//   cc -O2 -o tickprobe bench/tickprobe.c && ./tickprobe CPU SECONDS
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { kMax = 400000 };
static long long at[kMax], gap[kMax], big[kMax], spacing[kMax];

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}
static int cmp(const void* a, const void* b) {
  const long long x = *(const long long*)a, y = *(const long long*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: tickprobe CPU SECONDS\n");
    return 2;
  }
  const int cpu = atoi(argv[1]);
  const double secs = atof(argv[2]);
  cpu_set_t s;
  CPU_ZERO(&s);
  CPU_SET(cpu, &s);
  if (sched_setaffinity(0, sizeof s, &s) != 0) {
    perror("sched_setaffinity");
    return 1;
  }
  int n = 0, nb = 0, nsp = 0, h[6] = {0};
  long long start = now_ns(), prev = start, tot = 0;
  const long long end = start + (long long)(secs * 1e9);
  while (prev < end) {
    const long long t = now_ns();
    if (t - prev > 2000 && n < kMax) {
      at[n] = t - start;
      gap[n] = t - prev;
      n++;
    }
    prev = t;
  }
  for (int i = 0; i < n; i++) {
    const long long g = gap[i];
    tot += g;
    h[g < 5000 ? 0 : g < 8000 ? 1 : g < 12000 ? 2 : g < 20000 ? 3 : g < 50000 ? 4 : 5]++;
    if (g >= 5000) big[nb++] = at[i];
  }
  for (int i = 1; i < nb; i++) spacing[nsp++] = big[i] - big[i - 1];
  qsort(gap, n, sizeof gap[0], cmp);
  qsort(spacing, nsp, sizeof spacing[0], cmp);
  printf("cpu %d %.1fs: %d gaps >2us (%.0f/s), stolen %.2f%%; gap p50 %.1f p90 %.1f p99 %.1f max %.1f us; >=5us: %d, median spacing %.3f ms;"
         " hist 2-5:%d 5-8:%d 8-12:%d 12-20:%d 20-50:%d >50:%d\n",
         cpu, secs, n, n / secs, 100.0 * tot / (secs * 1e9), n ? gap[n / 2] / 1e3 : 0, n ? gap[n * 9 / 10] / 1e3 : 0,
         n ? gap[n * 99 / 100] / 1e3 : 0, n ? gap[n - 1] / 1e3 : 0, nb, nsp ? spacing[nsp / 2] / 1e6 : 0, h[0], h[1], h[2], h[3], h[4], h[5]);
  return 0;
}
