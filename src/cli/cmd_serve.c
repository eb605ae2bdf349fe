/*
 * cmd_serve.c: `trp serve` starts the local web app and its JSON API (docs/api.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "server.h"

static const char help[] =
	"usage: trp serve [--host ADDRESS] [--port N] [--threads N] [--db PATH]\n"
	"\n"
	"Starts the trp web app: a body map to tap where it hurts, the muscles that may cause\n"
	"it, the atlas, release plans and the diary, in your browser. It prints the address\n"
	"to open and runs until Ctrl-C (SIGINT) or SIGTERM.\n"
	"\n"
	"  --host ADDRESS  the address to listen on (default 127.0.0.1: this machine only;\n"
	"                  0.0.0.0 shows the app to your network)\n"
	"  --port N        the port (default 8080; 0 picks a free one)\n"
	"  --threads N     threads, each an event loop (default: one per core)\n"
	"  --db PATH       the diary (as for 'trp pain')\n";

enum { O_HOST = 1000, O_PORT, O_THREADS, O_DB };

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, O_HOST }, { "port", required_argument, NULL, O_PORT },
		{ "threads", required_argument, NULL, O_THREADS }, { "db", required_argument, NULL, O_DB },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	struct server_config config = { "127.0.0.1", 8080, NULL, 0, NULL };
	const char *arg;
	char msg[512];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int (*run)(const struct server_config *, char *, size_t);
	int c, v, code;

	config.threads = cores > 0 && cores < 64 ? (unsigned)cores : 2;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		switch (c) {
		case 'h': fputs(help, stdout); return EXIT_DONE;
		case O_HOST: config.host = arg; break;
		case O_PORT:
			if ((code = cli_int("--port", arg, 0, 65535, &v)))
				return code;
			config.port = (unsigned)v;
			break;
		case O_THREADS:
			if ((code = cli_int("--threads", arg, 1, 256, &v)))
				return code;
			config.threads = (unsigned)v;
			break;
		case O_DB: cli->db_path = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "serve: unexpected argument '%s' (see 'trp serve --help')",
				 argv[cli_optind]);
	config.atlas = cli_atlas(cli);
	if (!config.atlas)
		return cli->failure;
	/* open the diary once here, so a bad file is reported before the server starts */
	if (!cli_diary(cli))
		return cli->failure;
	config.db_path = cli_diary_path(cli);
	run = (int (*)(const struct server_config *, char *, size_t))
		cli_module_symbol("trp-serve.so", "server_run", msg, sizeof msg);
	if (!run)
		return cli_error(EXIT_FAILED, "serve: %s", msg);
	code = run(&config, msg, sizeof msg);
	if (code)
		return cli_error(code, "serve: %s", msg);
	return EXIT_DONE;
}
