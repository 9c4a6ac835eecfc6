# Independent model of the three formats in Python doubles (not the C++ code): rel RMSE on N(0,1).
import math, random
random.seed(7)
N = 1 << 18
x = [random.gauss(0, 1) for _ in range(N)]
LEV = [0, 0.5, 1, 1.5, 2, 3, 4, 6]
def e2m1(v):  # nearest, ties to even (even = index even), saturate
    a = min(abs(v), 6.0)
    best = min(range(8), key=lambda i: (abs(a - LEV[i]), i % 2))
    return math.copysign(LEV[best], v)
def e4m3(v):  # nearest even, saturating, subnormals
    a = abs(v)
    if a == 0: return 0.0
    e = max(math.floor(math.log2(a)), -6)
    q = 2.0 ** (e - 3)
    r = round(a / q) * q  # python round: ties to even
    return math.copysign(min(r, 448.0), v)
def rel(xh): return math.sqrt(sum((a-b)**2 for a,b in zip(x,xh)) / sum(a*a for a in x))
# MXFP4
out = []
for s in range(0, N, 32):
    blk = x[s:s+32]; am = max(abs(v) for v in blk)
    X = 2.0 ** (math.floor(math.log2(am)) - 2)
    out += [e2m1(v / X) * X for v in blk]
print("mxfp4", rel(out))
# NVFP4
g = max(abs(v) for v in x) / (6 * 448)
out = []
for s in range(0, N, 16):
    blk = x[s:s+16]; am = max(abs(v) for v in blk)
    d = e4m3(am / (6 * g)) * g
    out += [e2m1(v / d) * d for v in blk]
print("nvfp4", rel(out))
# fp8 block: rows of 4096, 128x128 tiles
L = 4096; out = [0.0] * N
rows = N // L
for tr in range(0, rows, 128):
    for tc in range(0, L, 128):
        idx = [r * L + c for r in range(tr, min(rows, tr + 128)) for c in range(tc, tc + 128)]
        s = max(abs(x[i]) for i in idx) / 448
        for i in idx: out[i] = e4m3(x[i] / s) * s
print("fp8_block", rel(out))
