# Writes reference.safetensors with the reference implementation (pip package safetensors 0.8.0), for
# SafeTensorsTest: F32, F64, F16 (with subnormal, infinity and NaN), BF16 (numpy has no bfloat16: raw bits)
# and a 0-d tensor, plus metadata. Run: python make_reference.py
import numpy as np
from safetensors import _safetensors_rust as rust

tensors = {
    "conv.weight": np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.5) - np.float32(1),
    "f64": np.array([1.5, -2.25, 1e-3], dtype=np.float64),
    "f16": np.array([1.0, -2.0, 65504.0, 2.0 ** -24, np.inf, np.nan], dtype=np.float16),
    "bf16": np.array([0x3F80, 0xC060], dtype=np.uint16),   # 1.0, -3.5
    "scalar": np.array(3.25, dtype=np.float32),
}
dtypes = {"bf16": "bfloat16"}
specs = {k: rust.TensorSpec(dtype=dtypes.get(k, v.dtype.name), shape=list(v.shape),
                              data_ptr=v.ctypes.data, data_len=v.nbytes)
         for k, v in tensors.items()}
rust.serialize_file(specs, "reference.safetensors", {"step": "7", "format": "pt"})
