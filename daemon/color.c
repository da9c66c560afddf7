/* color.c — state names in colour (see color.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "color.h"
#include "util.h"

/* Every sequence here is 5 bytes, like the default "\033[39m". */
static const struct {
	const char	*state;
	const char	*sgr;
} state_colors[] = {
	{ "ok",		 "\033[32m" },
	{ "converged",	 "\033[32m" },
	{ "pending",	 "\033[33m" },
	{ "drift",	 "\033[31m" },
	{ "diverged",	 "\033[31m" },
	{ "unreachable", "\033[31m" },
	{ "error",	 "\033[31m" },
	{ "applying",	 "\033[36m" },
};

bool
color_wanted(int fd)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && *nc != '\0')
		return false;
	/* No TERM means we cannot know what the terminal understands. */
	if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0)
		return false;
	return isatty(fd) == 1;
}

char *
color_state(bool on, const char *state)
{
	const char *sgr = "\033[39m";	/* the default colour */
	size_t i;

	if (state == NULL)
		state = "-";
	if (!on)
		return xstrdup(state);
	for (i = 0; i < sizeof state_colors / sizeof state_colors[0]; i++)
		if (strcmp(state, state_colors[i].state) == 0)
			sgr = state_colors[i].sgr;
	return xasprintf("%s%s\033[0m", sgr, state);
}
