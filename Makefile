# Directed bare-metal tests of the RV64 machine (impl/riscv/tests): assembled with Debian's
# gcc-riscv64-unknown-elf into committed ELF fixtures that this Makefile rebuilds byte for byte.
#
#   make fixtures               rebuild every impl/riscv/tests/bin/*.elf
#   make clean-fixtures-check   rebuild into the committed paths; fail if git sees a difference
#   make qemu-check             run every QEMU-valid fixture on qemu-system-riscv64 -machine spike
#
# Programs named mp<N>_*.S need N harts (QEMU -smp N; directed.test.ts derives harts the same way).
# QEMU_EXCLUDE lists programs that check rules where QEMU 7.2 deviates from the spec; the spec wins
# (riscv.md §2), so QEMU is not asked to pass them:
#   qemu_deviations: (1) a CSR write to minstret suppresses the writing instruction's own increment
#   (riscv.md §3.1; QEMU does not, and without -icount its instret counts host ticks), exact instret
#   counting, ECALL/EBREAK not retiring; (2) a misaligned AMO raises store/AMO address misaligned (6),
#   QEMU 7.2 raises load address misaligned (4); (3) an AMO to a physical address with no device
#   raises store/AMO access fault (7), QEMU 7.2 raises load access fault (5); (4) MRET/SRET to a mode
#   below M clear mstatus.MPRV (riscv.md §3.2), QEMU 7.2 leaves it set; (5) medeleg[11] is read-only
#   0 (riscv.md §3.1), QEMU 7.2 lets it be set; (6) CSRRS/CSRRC with rs1 != x0 holding 0 on a
#   read-only CSR are illegal (a write attempt, riscv.md §3.1), QEMU 7.2 decides by the value;
#   (7) mstatus.MPP cannot hold 2 (riscv.md §3.1), QEMU 7.2 stores it; (8) pmpcfg R=0/W=1 is
#   reserved and never reads back (riscv.md §3.1), QEMU 7.2 stores it; (9) mepc[0]/sepc[0] read 0
#   (riscv.md §3.1), QEMU 7.2 returns the bit written; (10) interrupt priority MSI > MTI > SEI > SSI >
#   STI (riscv.md §3.2), QEMU 7.2 takes the lowest-numbered pending interrupt; (11) a TOR entry's
#   range follows later writes of pmpaddr(i-1) (riscv.md §3.4), QEMU 7.2 keeps a stale bottom.
#   qemu_deviations_vm: an AMO raises store/AMO page faults, never load page faults (riscv.md §3.3),
#   QEMU 7.2 raises a load page fault for an AMO on an unmapped or execute-only page; an AMO whose
#   page-table walk fails PMP raises a store/AMO access fault, QEMU 7.2 a load access fault; a walk
#   reading a PTE from a physical address with no memory raises an access fault of the access type
#   (riscv.md §3.3), QEMU 7.2 a page fault; the hardware A/D update of a PTE must pass PMP, else an
#   access fault (riscv.md §3.3), QEMU 7.2 updates without a PMP check.
#   mp2_instret: exact per-hart instret counting on two harts (QEMU's instret counts host ticks).

RV_PREFIX  ?= riscv64-unknown-elf-
RV_CC      := $(RV_PREFIX)gcc
RV_SRC     := impl/riscv/tests/src
RV_BIN     := impl/riscv/tests/bin
RV_OBJ     := out/riscv-tests
RV_CFLAGS  := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -nostdlib -nostartfiles \
              -ffreestanding -I$(RV_SRC)
RV_LDFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -nostdlib -nostartfiles -static \
              -T $(RV_SRC)/link.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments

# HTIF harness fixtures (not directed tests: they fail or hang on purpose; used by baremetal.test.ts)
HTIF_SRC   := impl/riscv/tests/htif
HTIF_BIN   := impl/riscv/tests/htif-bin
HTIF_TESTS := $(sort $(basename $(notdir $(wildcard $(HTIF_SRC)/*.S))))
HTIF_ELFS  := $(addprefix $(HTIF_BIN)/,$(addsuffix .elf,$(HTIF_TESTS)))

QEMU       ?= qemu-system-riscv64
QEMU_CPU   := rv64,h=false,sstc=false,f=false,d=false,zba=false,zbb=false,zbc=false,zbs=false
QEMU_EXCLUDE := qemu_deviations qemu_deviations_vm mp2_instret

RV_TESTS   := $(sort $(basename $(notdir $(filter-out $(RV_SRC)/common.S,$(wildcard $(RV_SRC)/*.S)))))
RV_ELFS    := $(addprefix $(RV_BIN)/,$(addsuffix .elf,$(RV_TESTS)))
QEMU_TESTS := $(filter-out $(QEMU_EXCLUDE),$(RV_TESTS))

.PHONY: fixtures clean-fixtures clean-fixtures-check qemu-check
.SECONDARY:

fixtures: $(RV_ELFS) $(HTIF_ELFS)

$(RV_OBJ)/%.o: $(RV_SRC)/%.S $(RV_SRC)/test_macros.h | $(RV_OBJ)
	$(RV_CC) $(RV_CFLAGS) -c $< -o $@

$(RV_BIN)/%.elf: $(RV_OBJ)/%.o $(RV_OBJ)/common.o $(RV_SRC)/link.ld
	$(RV_CC) $(RV_LDFLAGS) $(RV_OBJ)/common.o $< -o $@

$(RV_OBJ)/htif/%.o: $(HTIF_SRC)/%.S $(RV_SRC)/test_macros.h | $(RV_OBJ)
	mkdir -p $(RV_OBJ)/htif
	$(RV_CC) $(RV_CFLAGS) -c $< -o $@

$(HTIF_BIN)/%.elf: $(RV_OBJ)/htif/%.o $(RV_OBJ)/common.o $(RV_SRC)/link.ld
	mkdir -p $(HTIF_BIN)
	$(RV_CC) $(RV_LDFLAGS) $(RV_OBJ)/common.o $< -o $@

$(RV_OBJ):
	mkdir -p $@

clean-fixtures:
	rm -rf $(RV_OBJ)

# Rebuild from scratch into the committed paths, then compare with git.
clean-fixtures-check: clean-fixtures
	@$(MAKE) -s -B fixtures
	@if ! git diff --exit-code --stat -- $(RV_BIN) $(HTIF_BIN); then \
	  echo "clean-fixtures-check: the committed ELF fixtures in $(RV_BIN) or $(HTIF_BIN) differ from a rebuild (see above): run 'make fixtures' and commit them" >&2; \
	  exit 1; \
	fi
	@untracked=$$(git ls-files --others --exclude-standard -- $(RV_BIN) $(HTIF_BIN)); \
	if [ -n "$$untracked" ]; then \
	  echo "clean-fixtures-check: rebuilt fixtures not committed: $$untracked" >&2; exit 1; \
	fi
	@echo "clean-fixtures-check: $(words $(RV_ELFS) $(HTIF_ELFS)) fixtures rebuild byte for byte"

# Each program must exit 0 on QEMU (the reference); mp<N>_ programs get -smp N.
qemu-check: fixtures
	@pass=0; failed=""; \
	for t in $(QEMU_TESTS); do \
	  smp=1; case $$t in mp[0-9]*_*) smp=$$(echo $$t | sed 's/^mp\([0-9]*\)_.*/\1/');; esac; \
	  timeout 5 $(QEMU) -machine spike -cpu $(QEMU_CPU) -smp $$smp -nographic -bios none \
	    -kernel $(RV_BIN)/$$t.elf </dev/null >/dev/null 2>&1; rc=$$?; \
	  if [ $$rc -eq 0 ]; then pass=$$((pass+1)); echo "PASS $$t"; \
	  else failed="$$failed $$t"; echo "FAIL $$t (exit $$rc$$( [ $$rc -eq 124 ] && echo ', timeout' ))"; fi; \
	done; \
	q="timeout 5 $(QEMU) -machine spike -cpu $(QEMU_CPU) -nographic -bios none -kernel"; \
	$$q $(HTIF_BIN)/htif_fail.elf </dev/null >/dev/null 2>&1; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "PASS htif_fail (exit 5 as expected)"; \
	else failed="$$failed htif_fail"; echo "FAIL htif_fail (exit $$rc, expected 5)"; fi; \
	out=$$($$q $(HTIF_BIN)/htif_console.elf </dev/null 2>/dev/null); rc=$$?; \
	if [ $$rc -eq 0 ] && [ "$$out" = "$$(printf 'hi\nA')" ]; then echo "PASS htif_console (printed hi, A)"; \
	else failed="$$failed htif_console"; echo "FAIL htif_console (exit $$rc, output '$$out')"; fi; \
	echo "qemu-check: $$pass directed programs passed; not run on QEMU (spec-only): $(QEMU_EXCLUDE)"; \
	if [ -n "$$failed" ]; then echo "qemu-check: FAILED:$$failed" >&2; exit 1; fi
