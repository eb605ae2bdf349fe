/*
 * cmd_serve.c: `trp serve` starts the local web app and its JSON API (docs/api.md,
 * docs/security.md). Every option is checked before the diary is opened.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "experiences.h"
#include "release_input.h"
#include "server.h"

static const char help[] =
	"usage: trp serve [--host ADDRESS] [--port N] [--threads N] [--db PATH]\n"
	"                 [--no-token] [--allow-host NAME]... [--insecure-lan] [--idle-timeout S]\n"
	"                 [--experiences FILE]\n"
	"\n"
	"Starts the trp web app: a body map to tap where it hurts, the muscles that may cause\n"
	"it, the atlas, release plans and the diary, in your browser. It prints the address\n"
	"to open, with a one-time token in it, and runs until Ctrl-C (SIGINT) or SIGTERM.\n"
	"The page trades the token for a cookie at its first load; without one or the other\n"
	"the server answers nothing, so other websites and other users of this machine can\n"
	"neither read nor write your diary (docs/security.md).\n"
	"\n"
	"  --host ADDRESS    the address to listen on (default 127.0.0.1: this machine only)\n"
	"  --port N          the port (default 8080; 0 picks a free one)\n"
	"  --threads N       event loops, one thread each (default: one per core)\n"
	"  --db PATH         the diary (as for 'trp pain')\n"
	"  --no-token        no token: any program of any user on this machine may use the\n"
	"                    diary; for a machine only you use (and for tests)\n"
	"  --allow-host NAME answer to Host NAME too (a name in /etc/hosts, say); the server\n"
	"                    answers only to localhost, 127.0.0.1, [::1] and its address\n"
	"  --insecure-lan    allow an address other devices can reach (0.0.0.0, a LAN\n"
	"                    address): the diary then travels the network unencrypted and\n"
	"                    anyone who has the printed address can open it\n"
	"  --idle-timeout S  close a connection idle for S seconds (default 30)\n"
	"  --experiences FILE  show beside each muscle what helped a clinic's patients, from\n"
	"                    the snapshot it exported ('trp experiences --help')\n"
	"\n"
	"Clinic mode (docs/clinic.md): many therapists and patients, with logins, on PostgreSQL:\n"
	"  --clinic URL      serve the clinic database at URL (a libpq connection string or\n"
	"                    URI; TRP_CLINIC_DB may give it), made ready by 'trp clinic init'\n"
	"  --public-origin O the address people use, such as https://clinic.example: the\n"
	"                    Host and Origin the server answers to behind a proxy\n"
	"  --tls-proxy ADDR  the reverse proxy that ends TLS: its X-Forwarded-For and\n"
	"                    X-Forwarded-Proto are believed, no one else's\n"
	"  --routes          print the route table as JSON, and stop\n";

enum { O_HOST = 1000, O_PORT, O_THREADS, O_DB, O_NO_TOKEN, O_ALLOW_HOST, O_LAN, O_IDLE, O_CLINIC,
       O_ORIGIN, O_PROXY, O_ROUTES, O_EXPERIENCES };

/* Whether a Host name given to --allow-host is one: a DNS name, or an address (IPv6 in
 * brackets), without a port. */
static int host_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 253)
		return 0;
	if (name[0] == '[')
		return len > 2 && name[len - 1] == ']' && strspn(name + 1, "0123456789abcdefABCDEF:.") == len - 2;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == len &&
	       name[0] != '-' && name[0] != '.';
}

/* 1 when the literal is a loopback address, 0 when it is another address, -1 when it is
 * not an IP address at all. */
static int loopback_address(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return -1;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, O_HOST }, { "port", required_argument, NULL, O_PORT },
		{ "threads", required_argument, NULL, O_THREADS }, { "db", required_argument, NULL, O_DB },
		{ "no-token", no_argument, NULL, O_NO_TOKEN },
		{ "allow-host", required_argument, NULL, O_ALLOW_HOST },
		{ "insecure-lan", no_argument, NULL, O_LAN },
		{ "idle-timeout", required_argument, NULL, O_IDLE },
		{ "clinic", required_argument, NULL, O_CLINIC },
		{ "public-origin", required_argument, NULL, O_ORIGIN },
		{ "tls-proxy", required_argument, NULL, O_PROXY },
		{ "routes", no_argument, NULL, O_ROUTES },
		{ "experiences", required_argument, NULL, O_EXPERIENCES },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	struct server_config config;
	const char *arg, *every, *experiences = NULL;
	char msg[512];
	static char *pooled;       /* kept for the server's life (reachable: no leak at exit) */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int (*run)(const struct server_config *, char *, size_t);
	int c, v, code, lan = 0, loop, routes = 0;

	memset(&config, 0, sizeof config);
	config.host = "127.0.0.1";
	config.port = 8080;
	config.idle_seconds = 30;
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
		case O_NO_TOKEN: config.no_token = 1; break;
		case O_ALLOW_HOST:
			if (!host_name(arg))
				return cli_error(EXIT_USAGE, "--allow-host: '%.64s' is not a host name (letters, "
						 "digits, '.' and '-', or an address such as 192.168.1.5 or [fe80::1]; "
						 "no port)", arg);
			if (config.nallow == SERVER_ALLOW_HOSTS)
				return cli_error(EXIT_USAGE, "--allow-host: at most %d names", SERVER_ALLOW_HOSTS);
			config.allow_hosts[config.nallow++] = arg;
			break;
		case O_LAN: lan = 1; break;
		case O_IDLE:
			if ((code = cli_int("--idle-timeout", arg, 1, 3600, &v)))
				return code;
			config.idle_seconds = (unsigned)v;
			break;
		case O_CLINIC: config.clinic = arg; break;
		case O_ORIGIN:
			if (strncmp(arg, "https://", 8) != 0 && strncmp(arg, "http://", 7) != 0)
				return cli_error(EXIT_USAGE, "--public-origin: '%.64s' is not an origin such as "
						 "https://clinic.example", arg);
			config.public_origin = arg;
			break;
		case O_PROXY:
			if (loopback_address(arg) < 0)
				return cli_error(EXIT_USAGE, "--tls-proxy: '%.64s' is not an IP address (the "
						 "proxy's, as the server sees it connect)", arg);
			config.tls_proxy = arg;
			break;
		case O_ROUTES: routes = 1; break;
		case O_EXPERIENCES: experiences = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "serve: unexpected argument '%s' (see 'trp serve --help')",
				 argv[cli_optind]);
	if (routes) {
		char *(*table)(void) = (char *(*)(void))cli_module_symbol("trp-serve.so", "api_routes_json",
									  msg, sizeof msg);

		return table ? cli_print_json(table()) : cli_error(EXIT_FAILED, "serve: %s", msg);
	}
	if (!config.clinic && getenv("TRP_CLINIC_DB") && *getenv("TRP_CLINIC_DB"))
		config.clinic = getenv("TRP_CLINIC_DB");
	if (config.clinic && (config.no_token || lan || cli->db_path))
		return cli_error(EXIT_USAGE, "serve --clinic: --no-token, --insecure-lan and --db are for "
				 "local mode (a clinic has logins and its own database)");
	if (!config.clinic && (config.public_origin || config.tls_proxy))
		return cli_error(EXIT_USAGE, "serve: --public-origin and --tls-proxy are for clinic mode "
				 "(--clinic URL)");
	if (config.clinic && experiences)
		return cli_error(EXIT_USAGE, "serve --clinic: --experiences is for local mode (a clinic "
				 "serves its own snapshots)");
	if (experiences) {
		if ((code = release_read("serve --experiences", experiences, 16u << 20, &pooled,
					 &config.experiences_len)))
			return code;
		if (trp__experiences_check(pooled, config.experiences_len, msg, sizeof msg)) {
			free(pooled);
			return cli_error(EXIT_USAGE, "serve --experiences: %s: %s", experiences, msg);
		}
		config.experiences = pooled;
	}
	loop = loopback_address(config.host);
	if (loop < 0)
		return cli_error(EXIT_USAGE, "--host: '%.64s' is not an IP address (such as 127.0.0.1 or ::1)",
				 config.host);
	if (config.clinic) {
		if (!loop && !config.tls_proxy)
			cli_error(EXIT_DONE, "warning: serving the clinic at %s without --tls-proxy: passwords "
				  "and health data travel unencrypted unless a TLS proxy is in front", config.host);
		config.atlas = cli_atlas(cli);
		if (!config.atlas)
			return cli->failure;
		run = (int (*)(const struct server_config *, char *, size_t))
			cli_module_symbol("trp-serve.so", "server_run", msg, sizeof msg);
		if (!run)
			return cli_error(EXIT_FAILED, "serve: %s", msg);
		code = run(&config, msg, sizeof msg);
		return code ? cli_error(code, "serve: %s", msg) : EXIT_DONE;
	}
	if (!loop && !lan)
		return cli_error(EXIT_USAGE, "--host %.64s: other devices could reach the diary there, "
				 "with no login and unencrypted; trp serves only this machine (127.0.0.1) "
				 "unless you add --insecure-lan, knowing that", config.host);
	if (!loop)
		cli_error(EXIT_DONE, "warning: --insecure-lan: the diary is served to the network at %s "
			  "without encryption; anyone on it who sees the address with its token can read "
			  "and change it. Stop the server (Ctrl-C) when you are done.", config.host);
	/* for tests: how often the diary is looked over for damage (default daily) */
	every = getenv("TRP_CHECK_SECONDS");
	if (every && *every && (code = cli_int("TRP_CHECK_SECONDS", every, 1, 86400, &v)))
		return code;
	config.check_seconds = every && *every ? (unsigned)v : 24 * 3600;
	config.atlas = cli_atlas(cli);
	if (!config.atlas)
		return cli->failure;
	/* the diary opened and looked over for damage here, so that a bad file is reported
	 * (exit 2, the file left as it is) before the server starts */
	if (!cli_diary_checked(cli))
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
