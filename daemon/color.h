/* color.h — state names in colour, only where a person reads them.
 *
 * Colour is used only when the output is a terminal whose TERM is set and not
 * "dumb", and never when NO_COLOR is set to anything but "" (no-color.org).
 * Shared by schemawatchctl and `schemawatchd --once`, so both decide alike. */
#ifndef SW_COLOR_H
#define SW_COLOR_H

#include <stdbool.h>

/* Whether output written to fd may carry colour (reads the environment). */
bool	 color_wanted(int fd);

/* A state word for a table cell: with colour, every cell of a column carries
 * escape sequences of the same length (5 + 4 bytes; unknown words and column
 * headers get the default colour) so byte-counted columns still line up.
 * NULL is "-". Caller frees. */
char	*color_state(bool on, const char *state);

#endif
