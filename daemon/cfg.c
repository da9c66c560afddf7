/* cfg.c — being written. */
#include "config.h"
typedef int sw_placeholder_cfg;
