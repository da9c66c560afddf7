/* dialect.h — which SQL dialect a text or a catalog is written in.
 *
 * A header of its own because two layers need it: normalize.c (pure text to
 * canonical text) is below catalog.c (the model of a database), and the
 * normalizer must not include the catalog model to learn one enum. */
#ifndef SW_DIALECT_H
#define SW_DIALECT_H

enum cat_dialect {
	CAT_PG,
	CAT_SQLITE,
};

#endif
