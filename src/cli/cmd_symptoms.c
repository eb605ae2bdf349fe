/*
 * cmd_symptoms.c: `trp symptoms` lists the symptom vocabulary: what a pain map may name
 * besides where it hurts.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
	"usage: trp symptoms [--json]\n"
	"\n"
	"Lists the symptoms besides pain that a pain map may add to its regions: a ringing\n"
	"ear, a weak grip, dizziness. A symptom marked 'yes' under SIDE may take the side it\n"
	"is felt on: tinnitus.l; without one it counts for both sides. 'trp muscles\n"
	"--symptom NAME' lists the muscles that give one.\n"
	"\n"
	"  --json   print [{\"name\", \"description\", \"sided\"}, ...]\n";

int cmd_symptoms(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *arg;
	int json = 0, c, s;

	(void)cli;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return EXIT_DONE;
		}
		if (c == 'j')
			json = 1;
		else
			return EXIT_USAGE;
	}
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "symptoms: unexpected argument '%s' (see 'trp symptoms --help')",
				 argv[cli_optind]);
	if (json)
		return cli_print_json(trp_symptoms_json(1));
	printf("%-22s %-4s %s\n", "SYMPTOM", "SIDE", "WHAT IT IS");
	for (s = 0; s < trp_symptom_count(); s++)
		printf("%-22s %-4s %s\n", trp_symptom_name(s), trp_symptom_sided(s) ? "yes" : "no",
		       trp_symptom_description(s));
	return EXIT_DONE;
}
