/** ONNX op type (default domain) -> handler. An op missing here is reported as unsupported. */
import { add, div, mul, neg, pow, sub, sum, unaryConstant, UNARY_CONSTANT_OP_TYPES } from "./arithmetic.ts";
import { approximated, APPROXIMATED_OP_TYPES, softmax } from "./activations.ts";
import type { OpHandler } from "./context.ts";
import { averagePoolOp, batchNormalization, convOp, globalAveragePool, reduceMean, reduceSum } from "./convolution.ts";
import { gemm, matMul } from "./linearAlgebra.ts";
import { concat, expand, flatten, gather, pad, reshape, slice, squeeze, transpose, unsqueeze } from "./movement.ts";
import { castOp, constantOfShape, constantOp, passThrough, shapeOp, sizeOp } from "./shapes.ts";

export const HANDLERS: ReadonlyMap<string, OpHandler> = new Map<string, OpHandler>([
  ["Constant", constantOp],
  ["ConstantOfShape", constantOfShape],
  ["Shape", shapeOp],
  ["Size", sizeOp],
  ["Cast", castOp],
  ["Identity", passThrough],
  ["Dropout", passThrough],
  ["Reshape", reshape],
  ["Flatten", flatten],
  ["Transpose", transpose],
  ["Squeeze", squeeze],
  ["Unsqueeze", unsqueeze],
  ["Slice", slice],
  ["Gather", gather],
  ["Concat", concat],
  ["Pad", pad],
  ["Expand", expand],
  ["Add", add],
  ["Sub", sub],
  ["Mul", mul],
  ["Div", div],
  ["Sum", sum],
  ["Neg", neg],
  ["Pow", pow],
  ...UNARY_CONSTANT_OP_TYPES.map((op): [string, OpHandler] => [op, unaryConstant]),
  ["MatMul", matMul],
  ["Gemm", gemm],
  ["Conv", convOp],
  ["AveragePool", averagePoolOp],
  ["GlobalAveragePool", globalAveragePool],
  ["BatchNormalization", batchNormalization],
  ["ReduceMean", reduceMean],
  ["ReduceSum", reduceSum],
  ...APPROXIMATED_OP_TYPES.map((op): [string, OpHandler] => [op, approximated]),
  ["Softmax", softmax],
  ["LogSoftmax", softmax],
]);

/** Why a well-known op without a handler cannot be supported, for a more useful message. */
export const UNSUPPORTED_REASONS: ReadonlyMap<string, string> = new Map([
  ["MaxPool", "max is not a polynomial; replace it by AveragePool (or a strided Conv) and retrain"],
  ["GlobalMaxPool", "max is not a polynomial; replace it by GlobalAveragePool and retrain"],
  ["ArgMax", "argmax is not a polynomial; return the scores and let the buyer take the argmax after decryption"],
  ["LeakyRelu", "only Relu, Sigmoid and Tanh are approximated; use one of them or x*x"],
  ["Max", "max is not a polynomial"],
  ["Min", "min is not a polynomial"],
]);
