/*
 * cmd_export.c: `trp export --csv DIR | --json` writes the whole diary out (deleted
 * entries and trials included); `trp import --csv DIR` reads it back, all or nothing.
 * Export then import into an empty diary gives the same diary: same ids, times,
 * offsets, notes and deleted flags.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define CSV_MAX (512L * 1024 * 1024)   /* refuse to read a file larger than this */

static const char export_help[] =
	"usage: trp export --csv DIR | --json   [--db PATH]\n"
	"\n"
	"Writes the whole diary: pain entries and sessions (deleted ones too) and trials.\n"
	"  --csv DIR   DIR/entries.csv and DIR/trials.csv (DIR is created if needed)\n"
	"  --json      {\"entries\": [...], \"trials\": [...]} on standard output\n"
	"'trp import --csv DIR' reads the CSV back, losing nothing.\n";

static const char import_help[] =
	"usage: trp import --csv DIR | --json FILE   [--db PATH]\n"
	"\n"
	"Reads DIR/entries.csv and, if present, DIR/trials.csv (as 'trp export --csv'\n"
	"writes them), or FILE as 'trp export --json' writes it ('-': standard input), into\n"
	"the diary, keeping their ids. Entries already there unchanged are skipped; an id\n"
	"that is there with other content stops the import. Everything is imported or\n"
	"nothing is.\n";

enum { O_CSV = 1000, O_DB, O_JSON };

struct writer {
	FILE *f;
	int json;
	size_t n;
	int failed;
};

/* Writes one record (s, malloc'd: a CSV line or a JSON object) after the ones before. */
static int put_record(struct writer *w, char *s)
{
	if (!s) {
		w->failed = 1;
		return 1;
	}
	fprintf(w->f, w->json ? "%s\n    %s" : "%s%s", w->json && w->n ? "," : "", s);
	free(s);
	w->n++;
	return 0;
}

static int write_entry(const trp_entry *e, void *arg)
{
	struct writer *w = arg;

	return put_record(w, w->json ? trp_entry_json(e, 0) : trp_entry_csv(e));
}

static int write_trial(const trp_trial *t, void *arg)
{
	struct writer *w = arg;

	return put_record(w, w->json ? trp_trial_json(t) : trp_trial_csv(t));
}

/* Writes one CSV file whole or not at all (outfile.c). */
static int export_file(trp_diary *d, const char *dir, const char *name, int trials,
		       size_t *count)
{
	char path[4096];
	struct writer w = { NULL, 0, 0, 0 };
	struct outfile o;
	trp_err err;
	int code;

	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return cli_error(EXIT_FAILED, "export: the path '%.64s...' is too long", dir);
	if ((code = outfile_open(&o, "export", path)))
		return code;
	w.f = o.f;
	fputs(trials ? trp_trial_csv_header() : trp_entry_csv_header(), w.f);
	err = trials ? trp_diary_trial_each(d, write_trial, &w) : trp_diary_each(d, INT64_MIN, 1, write_entry, &w);
	if (err || w.failed) {
		outfile_abort(&o);
		return cli_error(err ? cli_diary_exit(err) : EXIT_FAILED, "export: %s", err ? trp_diary_errmsg(d) : "out of memory");
	}
	if ((code = outfile_commit(&o)))
		return code;
	*count = w.n;
	return EXIT_DONE;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", required_argument, NULL, O_CSV }, { "db", required_argument, NULL, O_DB },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *arg, *dir = NULL;
	struct writer w = { stdout, 1, 0, 0 };
	size_t entries = 0, trials = 0;
	trp_diary *d;
	int c, json = 0, code;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		switch (c) {
		case 'h': fputs(export_help, stdout); return EXIT_DONE;
		case 'j': json = 1; break;
		case O_CSV: dir = arg; break;
		case O_DB: cli->db_path = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (cli_optind < argc || (!dir) == !json)
		return cli_error(EXIT_USAGE, "export: give either --csv DIR or --json");
	d = cli_diary_checked(cli);
	if (!d)
		return cli->failure;
	if (json) {
		trp_err err;

		fputs("{\"entries\": [", stdout);
		err = trp_diary_each(d, INT64_MIN, 1, write_entry, &w);
		fputs(w.n ? "\n  ],\n \"trials\": [" : "],\n \"trials\": [", stdout);
		w.n = 0;
		if (!err)
			err = trp_diary_trial_each(d, write_trial, &w);
		puts(w.n ? "\n  ]}" : "]}");
		if (err || w.failed)
			return cli_error(err ? cli_diary_exit(err) : EXIT_FAILED, "export: %s", err ? trp_diary_errmsg(d) : "out of memory");
		return EXIT_DONE;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return cli_error(EXIT_FAILED, "export: cannot create %s: %s", dir, strerror(errno));
	if ((code = export_file(d, dir, "entries.csv", 0, &entries)) ||
	    (code = export_file(d, dir, "trials.csv", 1, &trials)))
		return code;
	printf("exported %zu entries and %zu trials to %s/entries.csv and %s/trials.csv\n", entries,
	       trials, dir, dir);
	return EXIT_DONE;
}

/* Reads a whole file; NULL with *missing set when it does not exist. */
static char *read_all(const char *path, size_t *len, int *missing)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	*len = 0;
	*missing = !f && errno == ENOENT;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && size <= CSV_MAX &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) &&
	    fread(buf, 1, (size_t)size, f) == (size_t)size) {
		buf[size] = '\0';
		*len = (size_t)size;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

struct importer {
	struct cli *cli;
	trp_diary *d;
	const trp_atlas *atlas;
	size_t added, same, same_trials, trials;
	char why[768];
};

static int import_entry(const trp_entry *in, void *arg)
{
	struct importer *im = arg;
	trp_entry *e = malloc(sizeof *e), *old = malloc(sizeof *old);
	char *a = NULL, *b = NULL;
	int stop = 1;

	if (!e || !old) {
		snprintf(im->why, sizeof im->why, "out of memory");
		goto done;
	}
	*e = *in;
	if (trp_entry_check(e, im->atlas, im->why, sizeof im->why))
		goto done;
	if (trp_diary_get(im->d, e->id, old) == TRP_OK) {
		a = trp_entry_csv(e);
		b = trp_entry_csv(old);
		if (a && b && strcmp(a, b) == 0) {
			im->same++;
			stop = 0;
		} else {
			snprintf(im->why, sizeof im->why, "entry %lld is in the diary already with other content",
				 (long long)e->id);
		}
		goto done;
	}
	e->id = -e->id;   /* keep its id */
	if (trp_diary_put(im->d, e)) {
		snprintf(im->why, sizeof im->why, "%s", trp_diary_errmsg(im->d));
		goto done;
	}
	im->added++;
	stop = 0;
done:
	free(a);
	free(b);
	free(e);
	free(old);
	return stop;
}

struct same_trial {
	const trp_trial *want;
	int found, same;
};

static int find_trial(const trp_trial *t, void *arg)
{
	struct same_trial *s = arg;

	if (t->id != s->want->id)
		return 0;
	s->found = 1;
	s->same = t->a == s->want->a && t->b == s->want->b && t->blocks == s->want->blocks &&
		  t->days == s->want->days && t->start_day == s->want->start_day &&
		  t->stopped == s->want->stopped && strcmp(t->order, s->want->order) == 0;
	return 1;
}

static int import_trial(const trp_trial *in, void *arg)
{
	struct importer *im = arg;
	struct same_trial same = { in, 0, 0 };
	trp_trial t = *in;

	if (trp_diary_trial_each(im->d, find_trial, &same)) {
		snprintf(im->why, sizeof im->why, "%s", trp_diary_errmsg(im->d));
		return 1;
	}
	if (same.found) {
		if (same.same) {
			im->same_trials++;
			return 0;
		}
		snprintf(im->why, sizeof im->why, "trial %lld is in the diary already with other content",
			 (long long)in->id);
		return 1;
	}
	if (trp_diary_trial_put(im->d, &t)) {
		snprintf(im->why, sizeof im->why, "%s", trp_diary_errmsg(im->d));
		return 1;
	}
	im->trials++;
	return 0;
}

/* Reads standard input whole (for --json -); NULL when out of memory or too large. */
static char *read_stdin(size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap), *grown;

	while (buf && (got = fread(buf + n, 1, cap - n - 1, stdin)) > 0) {
		n += got;
		if (n + 1 == cap) {
			grown = cap < (size_t)CSV_MAX ? realloc(buf, cap * 2) : NULL;
			if (!grown) {
				free(buf);
				return NULL;
			}
			buf = grown;
			cap *= 2;
		}
	}
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", required_argument, NULL, O_CSV }, { "json", required_argument, NULL, O_JSON },
		{ "db", required_argument, NULL, O_DB }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct importer im;
	const char *arg, *dir = NULL, *json = NULL;
	char path[4096], msg[1024];
	char *entries = NULL, *trials = NULL;
	size_t elen, tlen, nentries;
	int c, missing, code = EXIT_USAGE;
	trp_err err;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		switch (c) {
		case 'h': fputs(import_help, stdout); return EXIT_DONE;
		case O_CSV: dir = arg; break;
		case O_JSON: json = arg; break;
		case O_DB: cli->db_path = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (cli_optind < argc || !dir == !json)
		return cli_error(EXIT_USAGE, "import: give --csv DIR or --json FILE (as written by 'trp export')");
	memset(&im, 0, sizeof im);
	im.cli = cli;
	if (json) {
		entries = strcmp(json, "-") == 0 ? read_stdin(&elen) : read_all(json, &elen, &missing);
		if (!entries)
			return cli_error(strcmp(json, "-") != 0 && missing ? EXIT_USAGE : EXIT_FAILED,
					 "import: cannot read %s: %s", json,
					 strcmp(json, "-") != 0 && missing ? "no such file" : strerror(errno ? errno : ENOMEM));
	} else {
		snprintf(path, sizeof path, "%s/entries.csv", dir);
		entries = read_all(path, &elen, &missing);
		if (!entries)
			return cli_error(missing ? EXIT_USAGE : EXIT_FAILED, "import: cannot read %s: %s", path,
					 missing ? "no such file" : strerror(errno ? errno : ENOMEM));
		snprintf(path, sizeof path, "%s/trials.csv", dir);
		trials = read_all(path, &tlen, &missing);
		if (!trials && !missing) {
			code = cli_error(EXIT_FAILED, "import: cannot read %s", path);
			goto done;
		}
	}
	im.atlas = cli_atlas(cli);
	im.d = cli_diary(cli);
	if (!im.atlas || !im.d) {
		code = cli->failure;
		goto done;
	}
	if (trp_diary_begin(im.d)) {
		code = cli_error(EXIT_FAILED, "import: %s", trp_diary_errmsg(im.d));
		goto done;
	}
	msg[0] = '\0';
	if (json) {
		err = trp_export_parse_json(entries, elen, import_entry, import_trial, &im, msg, sizeof msg);
		if (err) {
			trp_diary_rollback(im.d);
			code = cli_error(EXIT_USAGE, "import: %s: %s%s%s; nothing was imported", json, msg,
					 *msg && *im.why ? ": " : "", im.why);
			goto done;
		}
	} else {
		err = trp_entry_csv_parse(entries, elen, import_entry, &im, msg, sizeof msg);
		if (err) {
			trp_diary_rollback(im.d);
			code = cli_error(EXIT_USAGE, "import: %s/entries.csv: %s%s%s; nothing was imported", dir,
					 msg, *msg && *im.why ? ": " : "", im.why);
			goto done;
		}
		if (trials) {
			err = trp_trial_csv_parse(trials, tlen, import_trial, &im, msg, sizeof msg);
			if (err) {
				trp_diary_rollback(im.d);
				code = cli_error(EXIT_USAGE, "import: %s/trials.csv: %s%s%s; nothing was imported", dir,
						 msg, *msg && *im.why ? ": " : "", im.why);
				goto done;
			}
		}
	}
	nentries = im.added;
	if (trp_diary_commit(im.d)) {
		code = cli_error(EXIT_FAILED, "import: %s", trp_diary_errmsg(im.d));
		goto done;
	}
	printf("imported %zu entries (%zu already there) and %zu trials\n", nentries, im.same, im.trials);
	code = EXIT_DONE;
done:
	free(entries);
	free(trials);
	return code;
}
