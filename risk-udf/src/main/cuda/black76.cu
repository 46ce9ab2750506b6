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
//
// Greeks kernel (riskgrid_black76_greeks): price, delta, gamma, vega and theta of every cell, the
// conventions of io.riskgrid.pricing.Black76.greeks, which ScalarKernel.black76Greeks applies at rate 0
// and scales by the cell's discount factor df:
//   price  as riskgrid_black76 (the same black76_cell, so bit for bit the revaluation kernel's value);
//   delta  dV/dF:          call df N(d1), put -df N(-d1);
//   gamma  d2V/dF2:        df (phi(d1) / (F s)), per unit of F squared;
//   vega   dV/dsigma:      df ((F phi(d1)) sqrt(tau)), per 1.00 of vol;
//   theta  -dV/dtau at fixed F, per year: df (-(F phi(d1) vol) / (2 sqrt(tau))) + r price, where
//          r = -ln(df)/tau is the rate the discount factor stands for (Black76's discounting term r V);
//   tau <= 0 or s == 0: the price of black76_cell, delta the step +-df in the money, 0 out of it and
//          +-df/2 at the money (df = 1 once expired), gamma = vega = 0, theta = r price (0 once expired).
// Same input layout as riskgrid_black76. Output: double out[5 * count], greek g of cell c at
// out[g * count + c] in the order price, delta, gamma, vega, theta.
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

// The five Greeks of one cell (conventions above) into g[0..4]: price, delta, gamma, vega, theta.
__host__ __device__ __forceinline__ void black76_greeks_cell(bool call, double f, double k, double t, double vol,
                                                             double df, double* g) {
  double price = black76_cell(call, f, k, t, vol, df);
  double std_dev = vol * sqrt(t);
  // The discounting term of theta: r V with r = -ln(df)/tau, 0 once expired.
  double rate = t > 0.0 ? -log(df) / t : 0.0;
  if (t <= 0.0 || std_dev == 0.0) {
    double step = f > k ? 1.0 : (f < k ? 0.0 : 0.5);
    double scale = t <= 0.0 ? 1.0 : df;
    g[0] = price;
    g[1] = call ? scale * step : -scale * (1.0 - step);
    g[2] = 0.0;
    g[3] = 0.0;
    g[4] = rate * price;
    return;
  }
  double d1 = log(f / k) / std_dev + 0.5 * std_dev;
  double density = normal_pdf(d1);
  double root_t = sqrt(t);
  g[0] = price;
  g[1] = call ? df * normal_cdf(d1) : -df * normal_cdf(-d1);
  g[2] = df * (density / (f * std_dev));
  g[3] = df * ((f * density) * root_t);
  g[4] = df * (-((f * density) * vol / (2.0 * root_t))) + rate * price;
}

// Greek g of cell c of a packed batch into out[g * count + c].
__host__ __device__ __forceinline__ void black76_greeks_at(int c, int count, const double* __restrict__ cells,
                                                           double* __restrict__ out) {
  const size_t n = (size_t)count;
  const unsigned char* is_call = reinterpret_cast<const unsigned char*>(cells + 5 * n);
  double g[5];
  black76_greeks_cell(is_call[c] != 0, cells[c], cells[n + c], cells[2 * n + c], cells[3 * n + c], cells[4 * n + c], g);
#pragma unroll
  for (int i = 0; i < 5; i++) {
    out[i * n + c] = g[i];
  }
}

}  // namespace riskgrid

extern "C" __global__ void riskgrid_black76(int count, const double* __restrict__ cells, double* __restrict__ out) {
  // Grid-stride loop: any launch size covers any count.
  for (int c = blockIdx.x * blockDim.x + threadIdx.x; c < count; c += gridDim.x * blockDim.x) {
    out[c] = riskgrid::black76_at(c, count, cells);
  }
}

extern "C" __global__ void riskgrid_black76_greeks(int count, const double* __restrict__ cells,
                                                   double* __restrict__ out) {
  for (int c = blockIdx.x * blockDim.x + threadIdx.x; c < count; c += gridDim.x * blockDim.x) {
    riskgrid::black76_greeks_at(c, count, cells, out);
  }
}
