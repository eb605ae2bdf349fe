/*
 * cmd_clinic.c: `trp clinic init` makes a clinic's database ready (the schema, the role
 * trp_app, the first administrator) and `trp clinic audit` lists its audit log
 * (docs/clinic.md). The work is in the server's module, which holds libpq.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

static const char help[] =
	"usage: trp clinic init --db URL --admin NAME\n"
	"       trp clinic audit --db URL [--patient NAME] [--since TIME] [--json]\n"
	"       trp clinic experiences --db URL --snapshot [--name CLINIC] [--epsilon-scale X]\n"
	"       trp clinic experiences --db URL --export FILE\n"
	"\n"
	"init    makes the PostgreSQL database at URL ready for 'trp serve --clinic URL': the\n"
	"        schema (brought up to date when it is there), the role trp_app that the\n"
	"        server works as (owning nothing, with only the rights it needs), and the\n"
	"        first administrator NAME, whose password is read from standard input (asked\n"
	"        for without echo on a terminal), never from the command line. Run it as the\n"
	"        database's owner, with the right to create roles.\n"
	"audit   lists the audit log: every read and write of patient data, oldest first.\n"
	"experiences\n"
	"        --snapshot makes a new snapshot of the pooled outcomes of the patients who\n"
	"        consented to share them, as their diaries are now, with noise that protects\n"
	"        each of them (differential privacy: docs/clinic.md); the page and the API\n"
	"        show the latest. Monthly by the systemd timer trp-experiences.timer.\n"
	"        --name gives the clinic's name shown with the figures (default: trp clinic);\n"
	"        --epsilon-scale multiplies every privacy budget (default 1; smaller: more\n"
	"        noise, more privacy). --export FILE writes the latest snapshot, for\n"
	"        'trp experiences --load FILE' and 'trp serve --experiences FILE'.\n"
	"\n"
	"URL is a libpq connection string or URI (postgresql://...); TRP_CLINIC_DB may give it.\n";

enum { O_DB = 1000, O_ADMIN, O_PATIENT, O_SINCE, O_SNAPSHOT, O_EXPORT, O_NAME, O_SCALE };

/* One line from standard input, without echo when it is a terminal; 0 or an exit code. */
static int read_password(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
		} else {
			tty = 0;
		}
	}
	if (!fgets(buf, (int)size, stdin))
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n + 1 == size)
		return cli_error(EXIT_USAGE, "clinic init: the password is too long");
	buf[n] = '\0';
	if (n == 0)
		return cli_error(EXIT_USAGE, "clinic init: no password on standard input (give it on "
				 "one line, e.g. from a file: < password.txt)");
	return EXIT_DONE;
}

static int clinic_init_cmd(const char *db, const char *admin)
{
	int (*init)(const char *, const char *, const char *, char *, size_t);
	char password[1100], msg[1024];
	int code;

	if (!admin)
		return cli_error(EXIT_USAGE, "clinic init: give --admin NAME, the first administrator");
	init = (int (*)(const char *, const char *, const char *, char *, size_t))
		cli_module_symbol("trp-serve.so", "clinic_cli_init", msg, sizeof msg);
	if (!init)
		return cli_error(EXIT_FAILED, "clinic: %s", msg);
	if ((code = read_password("Password for the administrator: ", password, sizeof password)))
		return code;
	code = init(db, admin, password, msg, sizeof msg);
	memset(password, 0, sizeof password);
	if (code < 0)
		return cli_error(EXIT_FAILED, "clinic init: %s", msg);
	if (code > 0)
		return cli_error(EXIT_USAGE, "clinic init: %s", msg);
	printf("the clinic database is ready: administrator '%s'; serve it with 'trp serve --clinic URL'\n",
	       admin);
	return EXIT_DONE;
}

static int clinic_audit_cmd(const char *db, const char *patient, const char *since, int json)
{
	char *(*audit)(const char *, const char *, const char *, char *, size_t);
	char msg[1024], *text, when[40];
	json_t *rows, *row;
	json_error_t err;
	size_t i;

	audit = (char *(*)(const char *, const char *, const char *, char *, size_t))
		cli_module_symbol("trp-serve.so", "clinic_cli_audit", msg, sizeof msg);
	if (!audit)
		return cli_error(EXIT_FAILED, "clinic: %s", msg);
	if (since) {
		int64_t at;
		int tz;

		/* the times of every other command (local time without an offset) */
		if (cli_time("--since", since, &at, &tz) != EXIT_DONE)
			return EXIT_USAGE;
		trp_time_format(at, 0, when, sizeof when);
		since = when;
	}
	text = audit(db, patient, since, msg, sizeof msg);
	if (!text)
		return cli_error(EXIT_FAILED, "clinic audit: %s", msg);
	if (json)
		return cli_print_json(text);
	rows = json_loads(text, 0, &err);
	free(text);
	if (!rows)
		return cli_error(EXIT_FAILED, "clinic audit: out of memory");
	printf("%-27s %-20s %-9s %-20s %-6s %-34s %s\n", "AT", "ACTOR", "ROLE", "PATIENT", "ACTION",
	       "ROUTE", "STATUS");
	json_array_foreach(rows, i, row) {
		json_t *p = json_object_get(row, "patient");

		printf("%-27s %-20s %-9s %-20s %-6s %-34s %lld\n", json_string_value(json_object_get(row, "at")),
		       json_string_value(json_object_get(row, "actor")), json_string_value(json_object_get(row, "role")),
		       json_is_string(p) ? json_string_value(p) : "-", json_string_value(json_object_get(row, "action")),
		       json_string_value(json_object_get(row, "route")),
		       (long long)json_integer_value(json_object_get(row, "status")));
	}
	if (json_array_size(rows) == 0)
		printf("(no rows)\n");
	json_decref(rows);
	return EXIT_DONE;
}

static int clinic_experiences_cmd(struct cli *cli, const char *db, int snapshot, const char *file,
				  const char *name, double scale)
{
	char *(*pool)(const char *, const trp_atlas *, int, const char *, double, const char *, int *, char *,
		      size_t);
	const char *seed = getenv("TRP_DP_SEED");
	const trp_atlas *atlas;
	char msg[1024], *text;
	int none = 0, code;

	if (snapshot == !!file)
		return cli_error(EXIT_USAGE, "clinic experiences: give --snapshot (make a new one) or "
				 "--export FILE (write the latest)");
	if (name && (!*name || strlen(name) > 200 || trp_text_check(name, strlen(name), 0)))
		return cli_error(EXIT_USAGE, "clinic experiences: --name: 1 to 200 bytes of text");
	atlas = cli_atlas(cli);
	if (!atlas)
		return cli->failure;
	pool = (char *(*)(const char *, const trp_atlas *, int, const char *, double, const char *, int *,
			  char *, size_t))cli_module_symbol("trp-serve.so", "pool_cli", msg, sizeof msg);
	if (!pool)
		return cli_error(EXIT_FAILED, "clinic: %s", msg);
	if (snapshot && seed && *seed)
		cli_error(EXIT_DONE, "warning: TRP_DP_SEED is set: the noise can be made again by anyone "
			  "who knows the seed, which is for tests only; the snapshot says so");
	text = pool(db, atlas, snapshot, name ? name : "trp clinic", scale, snapshot ? seed : NULL, &none,
		    msg, sizeof msg);
	if (!text && none)
		return cli_error(EXIT_FAILED, "clinic experiences: no snapshot yet: make one with "
				 "'trp clinic experiences --db URL --snapshot'");
	if (!text)
		return cli_error(EXIT_FAILED, "clinic experiences: %s", msg);
	if (file) {
		code = outfile_write("clinic experiences", file, text, strlen(text));
		free(text);
		if (code == EXIT_DONE)
			printf("wrote the latest snapshot to %s\n", file);
		return code;
	}
	code = cli_print_json(text);
	return code;
}

int cmd_clinic(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, O_DB }, { "admin", required_argument, NULL, O_ADMIN },
		{ "patient", required_argument, NULL, O_PATIENT }, { "since", required_argument, NULL, O_SINCE },
		{ "json", no_argument, NULL, 'j' }, { "snapshot", no_argument, NULL, O_SNAPSHOT },
		{ "export", required_argument, NULL, O_EXPORT }, { "name", required_argument, NULL, O_NAME },
		{ "epsilon-scale", required_argument, NULL, O_SCALE },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	const char *arg, *db = NULL, *admin = NULL, *patient = NULL, *since = NULL, *verb, *file = NULL,
		   *name = NULL;
	int c, json = 0, snapshot = 0, pool = 0;
	double scale = 1;
	char *end;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		switch (c) {
		case 'h': fputs(help, stdout); return EXIT_DONE;
		case 'j': json = 1; break;
		case O_DB: db = arg; break;
		case O_ADMIN: admin = arg; break;
		case O_PATIENT: patient = arg; break;
		case O_SINCE: since = arg; break;
		case O_SNAPSHOT: snapshot = pool = 1; break;
		case O_EXPORT: file = arg; pool = 1; break;
		case O_NAME: name = arg; pool = 1; break;
		case O_SCALE:
			scale = strtod(arg, &end);
			if (end == arg || *end || !(scale >= 0.01 && scale <= 100))
				return cli_error(EXIT_USAGE, "--epsilon-scale: '%.32s' is not a number from 0.01 "
						 "to 100", arg);
			pool = 1;
			break;
		default: return EXIT_USAGE;
		}
	}
	if (cli_optind != argc - 1)
		return cli_error(EXIT_USAGE, "clinic: expected init, audit or experiences (see 'trp clinic --help')");
	verb = argv[cli_optind];
	if (!db)
		db = getenv("TRP_CLINIC_DB");
	if (!db || !*db)
		return cli_error(EXIT_USAGE, "clinic %s: give --db URL (a PostgreSQL connection string or "
				 "URI), or set TRP_CLINIC_DB", verb);
	if (strcmp(verb, "experiences") == 0) {
		if (admin || patient || since || json)
			return cli_error(EXIT_USAGE, "clinic experiences: takes --db, --snapshot or --export, "
					 "--name and --epsilon-scale");
		return clinic_experiences_cmd(cli, db, snapshot, file, name, scale);
	}
	if (pool)
		return cli_error(EXIT_USAGE, "clinic %s: --snapshot, --export, --name and --epsilon-scale are "
				 "for 'trp clinic experiences'", verb);
	if (strcmp(verb, "init") == 0) {
		if (patient || since || json)
			return cli_error(EXIT_USAGE, "clinic init: takes --db and --admin only");
		return clinic_init_cmd(db, admin);
	}
	if (strcmp(verb, "audit") == 0) {
		if (admin)
			return cli_error(EXIT_USAGE, "clinic audit: --admin is for init");
		return clinic_audit_cmd(db, patient, since, json);
	}
	return cli_error(EXIT_USAGE, "clinic: unknown action '%.32s' (expected init, audit or experiences)", verb);
}
