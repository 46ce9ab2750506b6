/**
 * The CUDA implementation of {@link io.riskgrid.kernel.RiskKernel}: {@link
 * io.riskgrid.kernel.cuda.CudaKernel} on the JCuda driver API, running the PTX that
 * {@code risk-udf/src/main/cuda} compiles to and the jar carries. {@link
 * io.riskgrid.kernel.cuda.GpuCheck} is the parity and benchmark run for GPU hosts
 * ({@code deploy/gpu/}).
 */
package io.riskgrid.kernel.cuda;
