/* clock.h (bench): the monotonic clock in seconds, for the benchmarks' timings. */
#ifndef TRP_BENCH_CLOCK_H
#define TRP_BENCH_CLOCK_H

#include <time.h>

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
