// Aggregation kernel: risk arrays of a batch of accounts, CSR positions x the P&L matrix R.
//
// Same layout and result as ScalarKernel.aggregate: for account a and each of its positions
// (instrument i, quantity q), out[a*width + columnOffset(u_i) + s] += q * R[rowStart(i) + s] for every
// scenario s of i's underlying u_i; every entry starts at 0.
//
// Race-free by ownership: one thread per output element (account a, column w). The thread finds
// the column's underlying u and scenario s, walks the account's positions in order, adds those on
// u, and writes its element once. No atomics, no zeroing pass, and neighbouring threads read
// neighbouring scenarios of the same R row (coalesced). The sum runs in the scalar kernel's order
// with separate multiply and add (__dmul_rn, __dadd_rn, never contracted to an FMA), so every
// entry is bit for bit the scalar kernel's. The per-cell functions are __host__ __device__ so that
// a host build can check them, with CudaLayout's packing, against the scalar kernel without a GPU.
//
// Layouts (io.riskgrid.kernel.cuda.CudaLayout writes them):
//   batch, copied in once per batch:
//     double quantity[positions]; int instrument[positions]; int account_start[accounts + 1]
//   matrix, copied in once per PnlMatrix and kept on the device:
//     double pnl[cells]; int row_start[instruments]; int instrument_underlying[instruments];
//     int column_underlying[width]; int column_offset[underlyings]
//   out: double[accounts * width], copied out once per batch.
//
// Block minimum kernel (riskgrid_block_minimum), run on the device right after riskgrid_aggregate on
// its output, as ScalarKernel.aggregateWithMinimum: for each block (account a, underlying u), the
// minimum of out[a*width + columnOffset(u) + s] over the scenarios s of u whose column w has
// in_minimum[w] != 0 (the REGULAR scenarios, for the scan loss), and the first s that attains it.
// One thread per block; a strict < keeps the first index on ties; a NaN entry makes the minimum NaN
// at the first NaN; a block with no column in the minimum gives +infinity and index -1.
//   in_minimum: unsigned char[width], copied in with the batch (after it, in the same transfer);
//   column_offset: the matrix's (resident) int[underlyings];
//   minimum: double[accounts * underlyings], argmin: int[accounts * underlyings], copied out with out.
namespace riskgrid {

// sum + q*r with the product rounded on its own, as Java's "out += q * r" does.
__host__ __device__ __forceinline__ double add_product(double sum, double q, double r) {
#ifdef __CUDA_ARCH__
  return __dadd_rn(sum, __dmul_rn(q, r));
#else
  volatile double product = q * r;  // the host build of the check: no contraction either
  return sum + product;
#endif
}

// Entry t = a*width + w of the risk arrays, from the packed batch and matrix (layouts above).
__host__ __device__ __forceinline__ double aggregate_entry(long long t, int positions, int width,
                                                           const double* __restrict__ batch, int instruments,
                                                           int cells, const double* __restrict__ matrix) {
  const double* quantity = batch;
  const int* instrument = reinterpret_cast<const int*>(batch + positions);
  const int* account_start = instrument + positions;
  const double* pnl = matrix;
  const int* row_start = reinterpret_cast<const int*>(matrix + cells);
  const int* instrument_underlying = row_start + instruments;
  const int* column_underlying = instrument_underlying + instruments;
  const int* column_offset = column_underlying + width;

  int a = (int)(t / width);
  int w = (int)(t - (long long)a * width);
  int u = column_underlying[w];
  int s = w - column_offset[u];
  double risk = 0.0;
  int end = account_start[a + 1];
  for (int j = account_start[a]; j < end; j++) {
    int i = instrument[j];
    if (instrument_underlying[i] == u) {
      risk = add_product(risk, quantity[j], pnl[row_start[i] + s]);
    }
  }
  return risk;
}

// Block b = a*underlyings + u of the risk arrays: its minimum over the marked columns and the
// scenario index (within u's block) of the first entry that attains it.
__host__ __device__ __forceinline__ void block_minimum(long long b, int width, int underlyings,
                                                       const int* __restrict__ column_offset,
                                                       const unsigned char* __restrict__ in_minimum,
                                                       const double* __restrict__ risk, double* minimum, int* argmin) {
  int a = (int)(b / underlyings);
  int u = (int)(b - (long long)a * underlyings);
  int from = column_offset[u];
  int to = u + 1 < underlyings ? column_offset[u + 1] : width;
  const double* row = risk + (long long)a * width;
  double low = INFINITY;
  int at = -1;
  for (int w = from; w < to; w++) {
    if (in_minimum[w] == 0) {
      continue;
    }
    double v = row[w];
    if (isnan(v)) {
      low = v;
      at = w - from;
      break;
    }
    if (v < low) {
      low = v;
      at = w - from;
    }
  }
  *minimum = low;
  *argmin = at;
}

}  // namespace riskgrid

extern "C" __global__ void riskgrid_aggregate(int accounts, int positions, int width,
                                              const double* __restrict__ batch, int instruments, int cells,
                                              const double* __restrict__ matrix, double* __restrict__ out) {
  long long total = (long long)accounts * width;
  long long stride = (long long)gridDim.x * blockDim.x;
  for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < total; t += stride) {
    out[t] = riskgrid::aggregate_entry(t, positions, width, batch, instruments, cells, matrix);
  }
}

extern "C" __global__ void riskgrid_block_minimum(int accounts, int width, int underlyings,
                                                  const int* __restrict__ column_offset,
                                                  const unsigned char* __restrict__ in_minimum,
                                                  const double* __restrict__ risk, double* __restrict__ minimum,
                                                  int* __restrict__ argmin) {
  long long total = (long long)accounts * underlyings;
  long long stride = (long long)gridDim.x * blockDim.x;
  for (long long b = (long long)blockIdx.x * blockDim.x + threadIdx.x; b < total; b += stride) {
    riskgrid::block_minimum(b, width, underlyings, column_offset, in_minimum, risk, minimum + b, argmin + b);
  }
}
