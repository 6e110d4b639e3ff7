/*
 * Memscope's MKL vendor-check override (see docs/torchsharp.md, "Matrix products on AMD CPUs").
 *
 * LibTorch 2.10 (libtorch_cpu.so) carries oneMKL 2024.0, whose dispatcher asks mkl_serv_intel_cpu_true() before it
 * selects its AVX-512 kernels; on AMD CPUs the answer is 0, so float32 GEMM runs the AVX2 path at about half speed.
 * libtorch_cpu.so exports that function, so a library loaded RTLD_GLOBAL before it (TorchRuntime does this on AMD
 * CPUs with AVX-512 unless MEMSCOPE_MKL_VENDOR_CHECK=keep) supplies this definition instead. MKL still checks the
 * instruction set itself; only the vendor test changes.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
