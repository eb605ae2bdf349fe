/*
 * fsync.c (bench): the cost of one durable write on this disk (a 4 KiB write and
 * fdatasync in DIR), so `trp log` can be judged by its time beyond its fsync.
 *
 * usage: bench_fsync DIR [RUNS]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	char path[4096], block[4096];
	int runs = argc > 2 ? atoi(argv[2]) : 200, i, fd;
	double *ms;

	if (argc < 2 || runs < 1) {
		fprintf(stderr, "usage: bench_fsync DIR [RUNS]\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/fsync-probe", argv[1]);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ms = calloc((size_t)runs, sizeof *ms);
	if (fd < 0 || !ms) {
		perror(path);
		return 1;
	}
	memset(block, 'x', sizeof block);
	for (i = 0; i < runs; i++) {
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (write(fd, block, sizeof block) != (ssize_t)sizeof block || fdatasync(fd) != 0) {
			perror(path);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	close(fd);
	unlink(path);
	qsort(ms, (size_t)runs, sizeof *ms, by_value);
	printf("runs %d  median %.3f ms  p90 %.3f ms  (one 4 KiB write + fdatasync)\n", runs,
	       ms[runs / 2], ms[runs * 9 / 10]);
	free(ms);
	return 0;
}
