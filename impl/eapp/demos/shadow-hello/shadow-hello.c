/* shadow-hello (seed 004 shadow tutorial: fork-host runs hello-world as a SHADOW enclave and forks
 * instances). Every instance starts from the shadow's clean image with its own copy of writable
 * pages, stack and heap (PGL §3.4), so the run counter below is 1 in every instance. Prints and
 * returns that counter. */
#include "eapp.h"
#include "print.h"
#include <stdlib.h>

static int runs_in_this_instance;

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  runs_in_this_instance++;
  char* msg = malloc(64);
  snprintf(msg, 64, "instance run %d", runs_in_this_instance);
  printf("hello world! %ld (%s)\n", args[12], msg);
  free(msg);
  EAPP_RETURN(runs_in_this_instance);
}
