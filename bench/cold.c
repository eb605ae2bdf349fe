/*
 * cold.c: times whole runs of a command, each a fresh process (a cold start of trp),
 * and prints the median, 90th percentile and minimum in milliseconds.
 *
 * usage: cold RUNS COMMAND [ARGS...]
 * The command's stdout goes to /dev/null; a run that exits non-zero stops the bench.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

extern char **environ;

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	double *ms;
	int runs, i;

	if (argc < 3 || (runs = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: cold RUNS COMMAND [ARGS...]\n");
		return 2;
	}
	ms = calloc((size_t)runs, sizeof *ms);
	if (!ms)
		return 1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < runs; i++) {
		double t0 = now() * 1e3;
		pid_t pid;
		int status;

		if (posix_spawn(&pid, argv[2], &fa, NULL, argv + 2, environ) != 0) {
			perror(argv[2]);
			return 1;
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "cold: run %d of %s failed\n", i, argv[2]);
			return 1;
		}
		ms[i] = now() * 1e3 - t0;
	}
	qsort(ms, (size_t)runs, sizeof *ms, by_value);
	printf("runs %d  median %.3f ms  p90 %.3f ms  min %.3f ms\n", runs, ms[runs / 2],
	       ms[runs * 9 / 10], ms[0]);
	posix_spawn_file_actions_destroy(&fa);
	free(ms);
	return 0;
}
