/* _start: the ELF entry at 0x1000 (app.lds puts this file's .text._start first). PGL §4.6/§3.3: at
 * a normal start, a fork and every server call the monitor enters here with sp = 0x38_0000_0000 and
 * the arguments in a0..a4. Before any C code can disturb them, save x1 and x3..x31 at 8*i(sp) in a
 * 256-byte frame (Penglai's EAPP_RESERVE_REG layout), x2 slot = sp at entry, publish the frame in
 * __eapp_args, then call main; a returning main exits through EAPP_RETURN(its value). */
	.file "entry.S"
	.section .text._start, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	addi sp, sp, -256
	sd x1, 1*8(sp)
	sd x3, 3*8(sp)
	sd x4, 4*8(sp)
	sd x5, 5*8(sp)
	sd x6, 6*8(sp)
	sd x7, 7*8(sp)
	sd x8, 8*8(sp)
	sd x9, 9*8(sp)
	sd x10, 10*8(sp)
	sd x11, 11*8(sp)
	sd x12, 12*8(sp)
	sd x13, 13*8(sp)
	sd x14, 14*8(sp)
	sd x15, 15*8(sp)
	sd x16, 16*8(sp)
	sd x17, 17*8(sp)
	sd x18, 18*8(sp)
	sd x19, 19*8(sp)
	sd x20, 20*8(sp)
	sd x21, 21*8(sp)
	sd x22, 22*8(sp)
	sd x23, 23*8(sp)
	sd x24, 24*8(sp)
	sd x25, 25*8(sp)
	sd x26, 26*8(sp)
	sd x27, 27*8(sp)
	sd x28, 28*8(sp)
	sd x29, 29*8(sp)
	sd x30, 30*8(sp)
	sd x31, 31*8(sp)
	addi t0, sp, 256
	sd t0, 2*8(sp)
	sd zero, 0(sp)
	lla t0, __eapp_args
	sd sp, 0(t0)
	mv a0, sp
	call main
	tail EAPP_RETURN
	.size _start, .-_start

	.section .sbss.__eapp_args, "aw", @nobits
	.align 3
	.globl __eapp_args
	.type __eapp_args, @object
	.size __eapp_args, 8
__eapp_args:
	.zero 8
