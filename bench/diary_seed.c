/*
 * diary_seed.c (bench): writes ten years of a plausible diary as CSV for `trp import`:
 * every day 5 pain entries and 6 sessions (11 rows a day, about 40,000 in all), with
 * pain that drifts over the years and treatments that help by different amounts.
 *
 * usage: bench_diary_seed DIR [DAYS]
 */
#include <stdio.h>
#include <stdlib.h>

#include "trp/diary.h"

static unsigned long long rng = 88172645463325252ull;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static int clamp(int v)
{
	return v < 0 ? 0 : v > 10 ? 10 : v;
}

int main(int argc, char **argv)
{
	static const char *const regions[] = {
		"temple", "neck_side", "neck_back", "shoulder_top", "scapula_medial", "low_back",
		"buttock", "thigh_lateral", "heel", "jaw"
	};
	static const char *const treatments[] = { "pressure", "ball", "stretch", "heat", "medication", "exercise" };
	static const int relief[] = { 3, 2, 1, 1, 2, 0 };
	char path[4096];
	int days = argc > 2 ? atoi(argv[2]) : 3650, d, k, id = 0;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_diary_seed DIR [DAYS]\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/entries.csv", argv[1]);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	fputs("id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted\n", f);
	for (d = 0; d < days; d++) {
		char date[48];
		int base = 6 - d / 900 + (int)next(3);

		trp_day_format(16000 + d, date, sizeof date);

		for (k = 0; k < 5; k++) {
			int r1 = (int)next(10), r2 = (r1 + 1 + (int)next(9)) % 10;

			fprintf(f, "%d,pain,%sT%02d:00:00+01:00,%s.l=%d:aching %s.r=%d,,,,,,,,,,0\n", ++id,
				date, 8 + 3 * k, regions[r1], clamp(base + (int)next(3) - 1), regions[r2],
				clamp(base - 1 + (int)next(3)));
		}
		for (k = 0; k < 6; k++) {
			int before = clamp(base + (int)next(3) - 1);

			fprintf(f, "%d,session,%sT%02d:30:00+01:00,,trapezius_upper,l,%s,%d,%d,%d,,,,0\n", ++id,
				date, 7 + 2 * k, treatments[k], 5 + (int)next(15), before,
				clamp(before - relief[k] + (int)next(3) - 1));
		}
	}
	fclose(f);
	printf("%d rows over %d days\n", id, days);
	return 0;
}
