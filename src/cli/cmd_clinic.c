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
	"\n"
	"init    makes the PostgreSQL database at URL ready for 'trp serve --clinic URL': the\n"
	"        schema (brought up to date when it is there), the role trp_app that the\n"
	"        server works as (owning nothing, with only the rights it needs), and the\n"
	"        first administrator NAME, whose password is read from standard input (asked\n"
	"        for without echo on a terminal), never from the command line. Run it as the\n"
	"        database's owner, with the right to create roles.\n"
	"audit   lists the audit log: every read and write of patient data, oldest first.\n"
	"\n"
	"URL is a libpq connection string or URI (postgresql://...); TRP_CLINIC_DB may give it.\n";

enum { O_DB = 1000, O_ADMIN, O_PATIENT, O_SINCE };

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

int cmd_clinic(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, O_DB }, { "admin", required_argument, NULL, O_ADMIN },
		{ "patient", required_argument, NULL, O_PATIENT }, { "since", required_argument, NULL, O_SINCE },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	const char *arg, *db = NULL, *admin = NULL, *patient = NULL, *since = NULL, *verb;
	int c, json = 0;

	(void)cli;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		switch (c) {
		case 'h': fputs(help, stdout); return EXIT_DONE;
		case 'j': json = 1; break;
		case O_DB: db = arg; break;
		case O_ADMIN: admin = arg; break;
		case O_PATIENT: patient = arg; break;
		case O_SINCE: since = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (cli_optind != argc - 1)
		return cli_error(EXIT_USAGE, "clinic: expected init or audit (see 'trp clinic --help')");
	verb = argv[cli_optind];
	if (!db)
		db = getenv("TRP_CLINIC_DB");
	if (!db || !*db)
		return cli_error(EXIT_USAGE, "clinic %s: give --db URL (a PostgreSQL connection string or "
				 "URI), or set TRP_CLINIC_DB", verb);
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
	return cli_error(EXIT_USAGE, "clinic: unknown action '%.32s' (expected init or audit)", verb);
}
