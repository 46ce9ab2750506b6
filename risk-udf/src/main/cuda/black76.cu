// Revaluation kernel: the Black-76 value of every cell of an OptionCells batch, in float64.
//
// Same formula, operation order and degenerate cases as io.riskgrid.pricing.Black76.price at rate 0
// scaled by the cell's discount factor (ScalarKernel.black76), and as the simd kernel:
//   d1 = ln(F/K)/s + s/2, d2 = d1 - s with s = vol * sqrt(tau);
//   call: df * (F N(d1) - K N(d2)); put: df * (K N(-d2) - F N(-d1)), computed directly;
//   tau <= 0: intrinsic value on F, undiscounted (expired, settled on F; ScalarKernel multiplies it by
//             the cell's discount, which is e^{-r*max(tau,0)} = 1 there as InstrumentBookBuilder sets it);
//   tau > 0 and s == 0: intrinsic value discounted by df.
// Prices are in the units of forward and strike (USD per coin), tau in years, vol a decimal.
// Inputs are not validated here; the caller passes what Black76 would accept.
//
// Input layout (one host-to-device copy per batch; io.riskgrid.kernel.cuda.CudaLayout writes it):
//   double forward[count], strike[count], tau[count], vol[count], discount[count];
//   unsigned char is_call[count]  (1 = call, 0 = put)
// Output: double out[count].
#include "normal_cdf.cuh"

namespace riskgrid {

// One cell: the undiscounted intrinsic value once expired, the discounted one at zero variance,
// else df times the Black-76 bracket, the put computed directly.
__host__ __device__ __forceinline__ double black76_cell(bool call, double f, double k, double t, double vol,
                                                         double df) {
  double std_dev = vol * sqrt(t);
  if (t <= 0.0 || std_dev == 0.0) {
    double intrinsic = call ? f - k : k - f;
    intrinsic = intrinsic > 0.0 ? intrinsic : 0.0;
    return t <= 0.0 ? intrinsic : df * intrinsic;
  }
  double d1 = log(f / k) / std_dev + 0.5 * std_dev;
  double d2 = d1 - std_dev;
  double undiscounted = call ? f * normal_cdf(d1) - k * normal_cdf(d2) : k * normal_cdf(-d2) - f * normal_cdf(-d1);
  return df * undiscounted;
}

// Cell c of a packed batch (layout above).
__host__ __device__ __forceinline__ double black76_at(int c, int count, const double* __restrict__ cells) {
  const size_t n = (size_t)count;
  const unsigned char* is_call = reinterpret_cast<const unsigned char*>(cells + 5 * n);
  return black76_cell(is_call[c] != 0, cells[c], cells[n + c], cells[2 * n + c], cells[3 * n + c], cells[4 * n + c]);
}

}  // namespace riskgrid

extern "C" __global__ void riskgrid_black76(int count, const double* __restrict__ cells, double* __restrict__ out) {
  // Grid-stride loop: any launch size covers any count.
  for (int c = blockIdx.x * blockDim.x + threadIdx.x; c < count; c += gridDim.x * blockDim.x) {
    out[c] = riskgrid::black76_at(c, count, cells);
  }
}
