/**
 * The RV64IMAC + Zicsr + Zifencei + Zicboz + privileged instruction table: one row per instruction with its
 * MASK/MATCH pair (as riscv-opcodes / Spike's encoding.h) and its operand format. The row's index + 1
 * is the op number the executor switches on (`Op.NAME`). `opcodes.test.ts` proves no two rows overlap.
 */
export type Format =
  | "R" // rd, rs1, rs2
  | "I" // rd, rs1, imm[11:0]
  | "S" // rs1, rs2, imm
  | "B" // rs1, rs2, branch offset
  | "U" // rd, imm[31:12]
  | "J" // rd, jump offset
  | "SH6" // rd, rs1, shamt[5:0]
  | "SH5" // rd, rs1, shamt[4:0]
  | "CSR" // rd, rs1, csr
  | "CSRI" // rd, uimm[4:0] (in rs1 field), csr
  | "NONE";

export interface OpcodeRow {
  readonly name: string;
  readonly mask: number;
  readonly match: number;
  readonly format: Format;
}

const row = (name: string, mask: number, match: number, format: Format): OpcodeRow => ({
  name,
  mask: mask >>> 0,
  match: match >>> 0,
  format,
});

const F3 = 0x707f; // opcode + funct3
const F7 = 0xfe00707f; // opcode + funct3 + funct7
const SH6 = 0xfc00707f; // opcode + funct3 + funct6 (RV64 shifts)
const AMO = 0xf800707f; // opcode + funct3 + funct5 (aq/rl ignored)
const LR = 0xf9f0707f; // AMO mask + rs2 = 0

export const OPCODES: readonly OpcodeRow[] = [
  // RV64I base
  row("LUI", 0x7f, 0x37, "U"),
  row("AUIPC", 0x7f, 0x17, "U"),
  row("JAL", 0x7f, 0x6f, "J"),
  row("JALR", F3, 0x67, "I"),
  row("BEQ", F3, 0x0063, "B"),
  row("BNE", F3, 0x1063, "B"),
  row("BLT", F3, 0x4063, "B"),
  row("BGE", F3, 0x5063, "B"),
  row("BLTU", F3, 0x6063, "B"),
  row("BGEU", F3, 0x7063, "B"),
  row("LB", F3, 0x0003, "I"),
  row("LH", F3, 0x1003, "I"),
  row("LW", F3, 0x2003, "I"),
  row("LD", F3, 0x3003, "I"),
  row("LBU", F3, 0x4003, "I"),
  row("LHU", F3, 0x5003, "I"),
  row("LWU", F3, 0x6003, "I"),
  row("SB", F3, 0x0023, "S"),
  row("SH", F3, 0x1023, "S"),
  row("SW", F3, 0x2023, "S"),
  row("SD", F3, 0x3023, "S"),
  row("ADDI", F3, 0x0013, "I"),
  row("SLTI", F3, 0x2013, "I"),
  row("SLTIU", F3, 0x3013, "I"),
  row("XORI", F3, 0x4013, "I"),
  row("ORI", F3, 0x6013, "I"),
  row("ANDI", F3, 0x7013, "I"),
  row("SLLI", SH6, 0x1013, "SH6"),
  row("SRLI", SH6, 0x5013, "SH6"),
  row("SRAI", SH6, 0x40005013, "SH6"),
  row("ADD", F7, 0x0033, "R"),
  row("SUB", F7, 0x40000033, "R"),
  row("SLL", F7, 0x1033, "R"),
  row("SLT", F7, 0x2033, "R"),
  row("SLTU", F7, 0x3033, "R"),
  row("XOR", F7, 0x4033, "R"),
  row("SRL", F7, 0x5033, "R"),
  row("SRA", F7, 0x40005033, "R"),
  row("OR", F7, 0x6033, "R"),
  row("AND", F7, 0x7033, "R"),
  row("ADDIW", F3, 0x001b, "I"),
  row("SLLIW", F7, 0x101b, "SH5"),
  row("SRLIW", F7, 0x501b, "SH5"),
  row("SRAIW", F7, 0x4000501b, "SH5"),
  row("ADDW", F7, 0x003b, "R"),
  row("SUBW", F7, 0x4000003b, "R"),
  row("SLLW", F7, 0x103b, "R"),
  row("SRLW", F7, 0x503b, "R"),
  row("SRAW", F7, 0x4000503b, "R"),
  row("FENCE", F3, 0x000f, "NONE"),
  // Zifencei
  row("FENCE_I", F3, 0x100f, "NONE"),
  // System / privileged
  row("ECALL", 0xffffffff, 0x00000073, "NONE"),
  row("EBREAK", 0xffffffff, 0x00100073, "NONE"),
  row("SRET", 0xffffffff, 0x10200073, "NONE"),
  row("MRET", 0xffffffff, 0x30200073, "NONE"),
  row("WFI", 0xffffffff, 0x10500073, "NONE"),
  row("SFENCE_VMA", 0xfe007fff, 0x12000073, "R"),
  // Zicsr
  row("CSRRW", F3, 0x1073, "CSR"),
  row("CSRRS", F3, 0x2073, "CSR"),
  row("CSRRC", F3, 0x3073, "CSR"),
  row("CSRRWI", F3, 0x5073, "CSRI"),
  row("CSRRSI", F3, 0x6073, "CSRI"),
  row("CSRRCI", F3, 0x7073, "CSRI"),
  // M
  row("MUL", F7, 0x02000033, "R"),
  row("MULH", F7, 0x02001033, "R"),
  row("MULHSU", F7, 0x02002033, "R"),
  row("MULHU", F7, 0x02003033, "R"),
  row("DIV", F7, 0x02004033, "R"),
  row("DIVU", F7, 0x02005033, "R"),
  row("REM", F7, 0x02006033, "R"),
  row("REMU", F7, 0x02007033, "R"),
  row("MULW", F7, 0x0200003b, "R"),
  row("DIVW", F7, 0x0200403b, "R"),
  row("DIVUW", F7, 0x0200503b, "R"),
  row("REMW", F7, 0x0200603b, "R"),
  row("REMUW", F7, 0x0200703b, "R"),
  // A (aq/rl bits are ignored: the machine is sequentially consistent)
  row("LR_W", LR, 0x1000202f, "R"),
  row("SC_W", AMO, 0x1800202f, "R"),
  row("AMOSWAP_W", AMO, 0x0800202f, "R"),
  row("AMOADD_W", AMO, 0x0000202f, "R"),
  row("AMOXOR_W", AMO, 0x2000202f, "R"),
  row("AMOAND_W", AMO, 0x6000202f, "R"),
  row("AMOOR_W", AMO, 0x4000202f, "R"),
  row("AMOMIN_W", AMO, 0x8000202f, "R"),
  row("AMOMAX_W", AMO, 0xa000202f, "R"),
  row("AMOMINU_W", AMO, 0xc000202f, "R"),
  row("AMOMAXU_W", AMO, 0xe000202f, "R"),
  row("LR_D", LR, 0x1000302f, "R"),
  row("SC_D", AMO, 0x1800302f, "R"),
  row("AMOSWAP_D", AMO, 0x0800302f, "R"),
  row("AMOADD_D", AMO, 0x0000302f, "R"),
  row("AMOXOR_D", AMO, 0x2000302f, "R"),
  row("AMOAND_D", AMO, 0x6000302f, "R"),
  row("AMOOR_D", AMO, 0x4000302f, "R"),
  row("AMOMIN_D", AMO, 0x8000302f, "R"),
  row("AMOMAX_D", AMO, 0xa000302f, "R"),
  row("AMOMINU_D", AMO, 0xc000302f, "R"),
  row("AMOMAXU_D", AMO, 0xe000302f, "R"),
  // Zicboz (zicboz.ts): cbo.zero rs1
  row("CBO_ZERO", 0xfff07fff, 0x0040200f, "I"),
];

type OpName = (typeof OPCODES)[number]["name"];

/** Op numbers: `Op.ADDI` etc. 0 means "not decoded yet"; {@link OP_ILLEGAL} is an illegal encoding. */
export const Op: Record<string, number> = Object.fromEntries(OPCODES.map((r, i) => [r.name, i + 1]));
export const OP_ILLEGAL = OPCODES.length + 1;
export type { OpName };
