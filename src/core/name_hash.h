/*
 * name_hash.h: the hash of a region or symptom name, shared by vocabgen (which lays out the table)
 * and region.c and symptom.c (which look names up in it). FNV-1a, 32 bits.
 */
#ifndef TRP_NAME_HASH_H
#define TRP_NAME_HASH_H

#include <stddef.h>
#include <stdint.h>

#define TRP_REGION_HASH_SIZE 512   /* slots; a power of two, over twice the regions */
#define TRP_SYMPTOM_HASH_SIZE 128  /* the same for the symptoms */

static inline uint32_t trp__name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

#endif
