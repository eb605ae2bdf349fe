/*
 * arena.c: memory handed out in pieces and freed all at once. A run-time atlas keeps its
 * strings and lists in one; so does a release plan.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct trp__arena {
	struct trp__arena *next;
	size_t used, size;
	max_align_t data[];
};

void *trp__arena_alloc(struct trp__arena **head, size_t size)
{
	struct trp__arena *a = *head;
	size_t need = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t);

	if (need == 0)
		need = 1;
	if (!a || a->size - a->used < need) {
		size_t cap = need > 4096 ? need : 4096;

		a = malloc(sizeof *a + cap * sizeof(max_align_t));
		if (!a)
			return NULL;
		a->next = *head;
		a->used = 0;
		a->size = cap;
		*head = a;
	}
	a->used += need;
	return a->data + a->used - need;
}

char *trp__arena_strdup(struct trp__arena **head, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = trp__arena_alloc(head, n);

	if (d)
		memcpy(d, s, n);
	return d;
}

void trp__arena_free(struct trp__arena *a)
{
	while (a) {
		struct trp__arena *next = a->next;

		free(a);
		a = next;
	}
}
