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
