#include <immintrin.h>
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(){
  for(int rep=0;rep<8;rep++){
  __m256 x=_mm256_set1_ps(1.0000001f), y=_mm256_set1_ps(0.9999999f);
  __m256 a0=x,a1=y,a2=x,a3=y,a4=x,a5=y,a6=x,a7=y,a8=x,a9=y,a10=x,a11=y;
  long n=100000000; double t0=now();
  for(long i=0;i<n;i++){
   a0=_mm256_fmadd_ps(a0,x,y);a1=_mm256_fmadd_ps(a1,x,y);a2=_mm256_fmadd_ps(a2,x,y);a3=_mm256_fmadd_ps(a3,x,y);
   a4=_mm256_fmadd_ps(a4,x,y);a5=_mm256_fmadd_ps(a5,x,y);a6=_mm256_fmadd_ps(a6,x,y);a7=_mm256_fmadd_ps(a7,x,y);
   a8=_mm256_fmadd_ps(a8,x,y);a9=_mm256_fmadd_ps(a9,x,y);a10=_mm256_fmadd_ps(a10,x,y);a11=_mm256_fmadd_ps(a11,x,y);
   __asm__ volatile("" : "+x"(a0),"+x"(a1),"+x"(a2),"+x"(a3),"+x"(a4),"+x"(a5),"+x"(a6),"+x"(a7),"+x"(a8),"+x"(a9),"+x"(a10),"+x"(a11));
  }
  double t=now()-t0; __m256 s=a0+a1+a2+a3+a4+a5+a6+a7+a8+a9+a10+a11;
  printf("%.1f GFLOP/s (%g)\n", n*12*16/t/1e9, s[0]);}
}
