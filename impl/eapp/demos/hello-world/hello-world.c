/* hello-world (PGL SDK demo/hello-world; seed 000): prints through the kbuffer and OCALL_SYS_WRITE,
 * then exits (fid 99) with the number of characters printed, which the host reads as retval. */
#include "eapp.h"
#include "print.h"

int hello(unsigned long* args) {
  unsigned long i = args[12]; /* a2 at entry: the run counter (PGL §4.6) */
  return printf("hello world! %ld\n", i);
}

int EAPP_ENTRY main() {
  unsigned long* args;
  EAPP_RESERVE_REG;
  EAPP_RETURN(hello(args));
}
