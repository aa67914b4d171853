/* fma-peak.c with 512-bit vectors: 12 independent chains of AVX-512 FMAs in registers only. It prints the FP32
   peak of one core for 512-bit code, to read beside fma-peak's 256-bit figure: where they are equal the core
   splits 512-bit operations in two, where this one is twice as high its FMA units are 512 bits wide.
   gcc -O2 -mavx512f -mfma fma-peak-512.c -o fma-peak-512 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(){
  for(int rep=0;rep<8;rep++){
  __m512 x=_mm512_set1_ps(1.0000001f), y=_mm512_set1_ps(0.9999999f);
  __m512 a0=x,a1=y,a2=x,a3=y,a4=x,a5=y,a6=x,a7=y,a8=x,a9=y,a10=x,a11=y;
  long n=100000000; double t0=now();
  for(long i=0;i<n;i++){
   a0=_mm512_fmadd_ps(a0,x,y);a1=_mm512_fmadd_ps(a1,x,y);a2=_mm512_fmadd_ps(a2,x,y);a3=_mm512_fmadd_ps(a3,x,y);
   a4=_mm512_fmadd_ps(a4,x,y);a5=_mm512_fmadd_ps(a5,x,y);a6=_mm512_fmadd_ps(a6,x,y);a7=_mm512_fmadd_ps(a7,x,y);
   a8=_mm512_fmadd_ps(a8,x,y);a9=_mm512_fmadd_ps(a9,x,y);a10=_mm512_fmadd_ps(a10,x,y);a11=_mm512_fmadd_ps(a11,x,y);
   __asm__ volatile("" : "+v"(a0),"+v"(a1),"+v"(a2),"+v"(a3),"+v"(a4),"+v"(a5),"+v"(a6),"+v"(a7),"+v"(a8),"+v"(a9),"+v"(a10),"+v"(a11));
  }
  double t=now()-t0; __m512 s=a0+a1+a2+a3+a4+a5+a6+a7+a8+a9+a10+a11;
  printf("%.1f GFLOP/s (%g)\n", n*12*32/t/1e9, s[0]);}
}
