/*
 * output.c: errors, option parsing, JSON and wrapped text for the subcommands.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define WIDTH 78

int cli_optind;

void cli_put_safe(FILE *f, const char *text, size_t len)
{
	while (len > 0) {
		size_t bad = trp_text_check(text, len, 0);

		if (bad == 0) {
			fwrite(text, 1, len, f);
			return;
		}
		fwrite(text, 1, bad - 1, f);
		fprintf(f, "\\x%02x", (unsigned char)text[bad - 1]);
		text += bad;
		len -= bad;
	}
}

int cli_error(int code, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	/* a message may quote what was given (a token, a path, a stored name): whatever
	 * bytes that holds, none reaches the terminal as a control character */
	fputs("trp: ", stderr);
	cli_put_safe(stderr, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	fputc('\n', stderr);
	return code;
}

const trp_atlas *cli_atlas(struct cli *cli)
{
	char msg[1024];
	trp_err err;

	if (cli->atlas)
		return cli->atlas;
	if (cli->atlas_dir)
		err = trp_atlas_open_dir(cli->atlas_dir, &cli->atlas, msg, sizeof msg);
	else
		err = trp_atlas_open_builtin(&cli->atlas);
	if (err) {
		if (!cli->atlas_dir)
			snprintf(msg, sizeof msg, "%s", trp_strerror(err));
		/* a file that breaks the schema is bad input; an unreadable one a failure */
		cli->failure = err == TRP_EPARSE || err == TRP_ESCHEMA ? EXIT_USAGE : EXIT_FAILED;
		cli_error(cli->failure, "cannot load the atlas: %s", msg);
		return NULL;
	}
	return cli->atlas;
}

int cli_getopt(int argc, char **argv, const struct option *opts, const char **optarg_out)
{
	char shortopts[64];
	size_t n = 0;
	int i, c;

	/* the short forms of the table, so that -h and the like work too */
	shortopts[n++] = ':';
	for (i = 0; opts[i].name && n + 3 < sizeof shortopts; i++) {
		if (opts[i].flag || opts[i].val <= 0 || opts[i].val > 127)
			continue;
		shortopts[n++] = (char)opts[i].val;
		if (opts[i].has_arg)
			shortopts[n++] = ':';
	}
	shortopts[n] = '\0';
	opterr = 0;
	c = getopt_long(argc, argv, shortopts, opts, NULL);
	cli_optind = optind;
	*optarg_out = optarg;
	if (c == '?') {
		const char *bad = argv[optind - 1];

		if (optopt && optopt < 128 && (!bad || strncmp(bad, "--", 2) != 0))
			cli_error(EXIT_USAGE, "%s: unknown option '-%c' (see 'trp %s --help')", argv[0],
				  optopt, argv[0]);
		else
			cli_error(EXIT_USAGE, "%s: unknown option '%s' (see 'trp %s --help')", argv[0],
				  bad ? bad : "?", argv[0]);
		return '?';
	}
	if (c == ':') {
		cli_error(EXIT_USAGE, "%s: option '%s' needs a value (see 'trp %s --help')", argv[0],
			  argv[optind - 1], argv[0]);
		return '?';
	}
	return c;
}

int cli_print_json(char *json)
{
	if (!json)
		return cli_error(EXIT_FAILED, "out of memory");
	puts(json);
	free(json);
	return EXIT_DONE;
}

void cli_wrap(const char *first, int indent, const char *text)
{
	int col = printf("%s", first);
	const char *p = text;

	while (*p) {
		size_t word = strcspn(p, " \n");

		if (col > indent && col + 1 + (int)word > WIDTH) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (col > indent && p != text) {
			putchar(' ');
			col++;
		}
		fwrite(p, 1, word, stdout);
		col += (int)word;
		p += word;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	putchar('\n');
}

const char *cli_muscle_hint(const trp_atlas *atlas, const char *name, char *buf, size_t size)
{
	const char *near[3];
	size_t n = trp_atlas_suggest(atlas, name, near, 3), i, used = 0;

	buf[0] = '\0';
	if (n == 0) {
		snprintf(buf, size, " (see 'trp muscles' for the identifiers)");
		return buf;
	}
	for (i = 0; i < n && used < size; i++) {
		int w = snprintf(buf + used, size - used, "%s'%s'%s",
				 i == 0 ? " (did you mean " : i == n - 1 ? " or " : ", ", near[i],
				 i == n - 1 ? "?)" : "");

		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}
