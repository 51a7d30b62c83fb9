# eapp.mk — build one enclave program against this SDK (Penglai's app.mk, PGL §1 of the SDK API).
#
# A program's Makefile:
#     APP        = hello-world              # program name; the ELF is $(APP_BIN), default $(APP)
#     APP_C_SRCS = hello-world.c            # C sources, relative to the program's directory
#     APP_A_SRCS = extra.S                  # optional assembly sources (.S preprocessed, .s not)
#     CFLAGS    += -DFOO                    # optional, appended after the SDK's flags
#     include path/to/impl/eapp/eapp.mk
#
# Each file is compiled with -c into a named object (no temporary names in the symbol table), the
# SDK runs from its own directory (its objects do not depend on where make was started), and
# nothing embeds absolute paths, so an ELF rebuilds byte for byte (toolchain.md).

EAPP_SDK    := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
RV_PREFIX   ?= riscv64-unknown-elf-
CC          := $(RV_PREFIX)gcc
AR          := $(RV_PREFIX)ar

EAPP_ARCH   := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
EAPP_BASE_CFLAGS := $(EAPP_ARCH) -nostdlib -nostartfiles -ffreestanding -O2 -Wall \
                -fno-tree-loop-distribute-patterns -ffile-prefix-map=$(CURDIR)=. -I$(EAPP_SDK)/include
# libgcc of the plain rv64imac/lp64 multilib (with _zicsr_zifencei gcc picks the wrong one).
EAPP_LIBGCC := $(shell $(CC) -march=rv64imac -mabi=lp64 -print-libgcc-file-name 2>/dev/null)
EAPP_LDFLAGS := $(EAPP_ARCH) -nostdlib -nostartfiles -static -Wl,--build-id=none \
                -Wl,--no-warn-rwx-segments
APP_LDS     ?= $(EAPP_SDK)/app.lds

EAPP_LIB_SRCS := calls.c format.c malloc.c print.c sbrk.c string.c eret.S
EAPP_LIB_DIR  := $(EAPP_SDK)/build/lib
EAPP_LIB      := $(EAPP_LIB_DIR)/libeapp.a
EAPP_ENTRY_O  := $(EAPP_LIB_DIR)/entry.o
EAPP_LIB_OBJS := $(addprefix $(EAPP_LIB_DIR)/,$(addsuffix .o,$(basename $(EAPP_LIB_SRCS))))
EAPP_HEADERS  := $(wildcard $(EAPP_SDK)/include/*.h $(EAPP_SDK)/include/sys/*.h)

APP_BIN     ?= $(APP)
APP_OBJ_DIR ?= build
APP_OBJS    := $(addprefix $(APP_OBJ_DIR)/,$(addsuffix .o,$(basename $(APP_C_SRCS) $(APP_A_SRCS))))

.PHONY: all clean eapp-lib
all: $(APP_BIN)

eapp-lib: $(EAPP_LIB) $(EAPP_ENTRY_O)

# SDK objects: compiled from the SDK directory with SDK-relative names.
$(EAPP_LIB_DIR)/%.o: $(EAPP_SDK)/src/%.c $(EAPP_HEADERS)
	@mkdir -p $(EAPP_LIB_DIR)
	cd $(EAPP_SDK) && $(CC) $(EAPP_BASE_CFLAGS:-I$(EAPP_SDK)/include=-Iinclude) -c src/$*.c -o build/lib/$*.o

$(EAPP_LIB_DIR)/%.o: $(EAPP_SDK)/src/%.S
	@mkdir -p $(EAPP_LIB_DIR)
	cd $(EAPP_SDK) && $(CC) $(EAPP_ARCH) -c src/$*.S -o build/lib/$*.o

$(EAPP_LIB): $(EAPP_LIB_OBJS)
	rm -f $@
	$(AR) rcsD $@ $^

# Program objects: compiled from the program's directory.
$(APP_OBJ_DIR)/%.o: %.c $(EAPP_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(EAPP_BASE_CFLAGS) $(CFLAGS) -c $< -o $@

$(APP_OBJ_DIR)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(EAPP_ARCH) -I$(EAPP_SDK)/include $(CFLAGS) -c $< -o $@

$(APP_OBJ_DIR)/%.o: %.s
	@mkdir -p $(dir $@)
	$(CC) $(EAPP_ARCH) -c $< -o $@

$(APP_BIN): $(EAPP_ENTRY_O) $(APP_OBJS) $(EAPP_LIB) $(APP_LDS)
	@mkdir -p $(dir $@)
	$(CC) $(EAPP_LDFLAGS) -T $(APP_LDS) -o $@ $(EAPP_ENTRY_O) $(APP_OBJS) $(EAPP_LIB) $(EAPP_LIBGCC)
	chmod -x $@

clean:
	rm -rf $(APP_OBJ_DIR) $(APP_BIN) $(EXTRA_CLEAN)
