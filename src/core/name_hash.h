/*
 * name_hash.h: the hash of a region name, shared by vocabgen (which lays out the table)
 * and region.c (which looks names up in it). FNV-1a, 32 bits.
 */
#ifndef TRP_NAME_HASH_H
#define TRP_NAME_HASH_H

#include <stddef.h>
#include <stdint.h>

#define TRP_REGION_HASH_SIZE 512   /* slots; a power of two, over twice the regions */

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
