/* Raw enclave → monitor calls (PGL §2.1, §2.2): a6 = 0x100101 (SBI_EXT_PENGLAI_ENCLAVE),
 * a7 = function id, arguments already in a0..a3 (C calling convention), result in a0.
 * The ocall stubs take the ocall id (PGL §2.3) as their first argument, in a0. */
	.file "eret.S"
	.equ SBI_EXT_PENGLAI_ENCLAVE, 0x100101
	.equ FID_EXIT, 99
	.equ FID_OCALL, 98
	.equ FID_ACQUIRE, 97
	.equ FID_CALL, 96
	.equ FID_SERVER_RETURN, 95
	.equ FID_GET_REPORT, 94
	.equ FID_ASYN_CALL, 93
	.equ FID_SPLIT, 92
	.equ FID_CALLER_ID, 91
	.equ FID_ENCLAVE_ID, 90
	.equ FID_YIELD, 89
	.equ FID_GET_KEY, 88

/* A stub that returns to its caller. */
.macro ECALL_STUB name, fid
	.section .text.\name, "ax", @progbits
	.globl \name
	.type \name, @function
	.align 1
\name:
	li a7, \fid
	li a6, SBI_EXT_PENGLAI_ENCLAVE
	ecall
	ret
	.size \name, .-\name
.endm

/* A stub that must not return (exit, server return): if the monitor refuses it and comes back,
 * execute an illegal instruction so the monitor ends the enclave rather than run on (PGL §2.1). */
.macro NORETURN_STUB name, fid
	.section .text.\name, "ax", @progbits
	.globl \name
	.type \name, @function
	.align 1
\name:
	li a7, \fid
	li a6, SBI_EXT_PENGLAI_ENCLAVE
	ecall
1:	unimp
	j 1b
	.size \name, .-\name
.endm

	NORETURN_STUB EAPP_RETURN, FID_EXIT
	NORETURN_STUB SERVER_RETURN, FID_SERVER_RETURN
	ECALL_STUB EAPP_OCALL, FID_OCALL
	ECALL_STUB EAPP_MMAP, FID_OCALL
	ECALL_STUB EAPP_UNMAP, FID_OCALL
	ECALL_STUB EAPP_RETURN_RELAY_PAGE, FID_OCALL
	ECALL_STUB EAPP_PERSISTENCY_READ_SEC, FID_OCALL
	ECALL_STUB EAPP_PERSISTENCY_WRITE_SEC, FID_OCALL
	ECALL_STUB EAPP_ACQUIRE_ENCLAVE, FID_ACQUIRE
	ECALL_STUB EAPP_CALL_ENCLAVE, FID_CALL
	ECALL_STUB EAPP_GET_REPORT, FID_GET_REPORT
	ECALL_STUB EAPP_ASYN_ENCLAVE_CALL, FID_ASYN_CALL
	ECALL_STUB EAPP_SPLIT_MEM_REGION, FID_SPLIT
	ECALL_STUB EAPP_GET_CALLER_ID, FID_CALLER_ID
	ECALL_STUB EAPP_GET_ENCLAVE_ID, FID_ENCLAVE_ID
	ECALL_STUB EAPP_YIELD, FID_YIELD
	ECALL_STUB EAPP_GET_KEY, FID_GET_KEY
