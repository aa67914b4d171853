#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
__attribute__((noinline)) void tile(int kc, const float*a, const float*b, float*c, int ldc){
  __m256 c00=_mm256_loadu_ps(c),c01=_mm256_loadu_ps(c+8),c10=_mm256_loadu_ps(c+ldc),c11=_mm256_loadu_ps(c+ldc+8),
  c20=_mm256_loadu_ps(c+2*ldc),c21=_mm256_loadu_ps(c+2*ldc+8),c30=_mm256_loadu_ps(c+3*ldc),c31=_mm256_loadu_ps(c+3*ldc+8),
  c40=_mm256_loadu_ps(c+4*ldc),c41=_mm256_loadu_ps(c+4*ldc+8),c50=_mm256_loadu_ps(c+5*ldc),c51=_mm256_loadu_ps(c+5*ldc+8);
  for(int p=0;p<kc;p++,a+=6,b+=16){
    __m256 b0=_mm256_loadu_ps(b),b1=_mm256_loadu_ps(b+8),x;
    x=_mm256_broadcast_ss(a);c00=_mm256_fmadd_ps(x,b0,c00);c01=_mm256_fmadd_ps(x,b1,c01);
    x=_mm256_broadcast_ss(a+1);c10=_mm256_fmadd_ps(x,b0,c10);c11=_mm256_fmadd_ps(x,b1,c11);
    x=_mm256_broadcast_ss(a+2);c20=_mm256_fmadd_ps(x,b0,c20);c21=_mm256_fmadd_ps(x,b1,c21);
    x=_mm256_broadcast_ss(a+3);c30=_mm256_fmadd_ps(x,b0,c30);c31=_mm256_fmadd_ps(x,b1,c31);
    x=_mm256_broadcast_ss(a+4);c40=_mm256_fmadd_ps(x,b0,c40);c41=_mm256_fmadd_ps(x,b1,c41);
    x=_mm256_broadcast_ss(a+5);c50=_mm256_fmadd_ps(x,b0,c50);c51=_mm256_fmadd_ps(x,b1,c51);
  }
  _mm256_storeu_ps(c,c00);_mm256_storeu_ps(c+8,c01);_mm256_storeu_ps(c+ldc,c10);_mm256_storeu_ps(c+ldc+8,c11);
  _mm256_storeu_ps(c+2*ldc,c20);_mm256_storeu_ps(c+2*ldc+8,c21);_mm256_storeu_ps(c+3*ldc,c30);_mm256_storeu_ps(c+3*ldc+8,c31);
  _mm256_storeu_ps(c+4*ldc,c40);_mm256_storeu_ps(c+4*ldc+8,c41);_mm256_storeu_ps(c+5*ldc,c50);_mm256_storeu_ps(c+5*ldc+8,c51);
}
int main(int argc,char**argv){
  int mc = atoi(argv[1]); int slivers = atoi(argv[2]); int ldc = atoi(argv[3]);
  float *A = aligned_alloc(64, mc*256*4), *B = aligned_alloc(64, slivers*16*256*4), *C = aligned_alloc(64, (size_t)mc*ldc*4+64);
  for(int i=0;i<mc*256;i++)A[i]=1e-3f; for(int i=0;i<slivers*16*256;i++)B[i]=1e-3f; for(long i=0;i<(long)mc*ldc;i++)C[i]=0;
  for(int rep=0;rep<6;rep++){ double t0=now(); long fl=0;
    while(now()-t0<0.5){ for(int s=0;s<slivers;s++) for(int i=0;i<mc;i+=6){ tile(256,A+i*256,B+s*16*256,C+i*ldc+s*16,ldc); fl+=2L*6*16*256;} }
    printf("%.1f ", fl/(now()-t0)/1e9);} printf("\n");
}
