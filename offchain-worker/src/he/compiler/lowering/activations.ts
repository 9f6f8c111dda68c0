/**
 * Non-linear activations: Relu, Sigmoid and Tanh become a monomials layer with the polynomial
 * that best fits the inputs the calibration samples feed them (activationFit.ts; coefficients
 * fold into the next linear layer); a trailing Softmax/LogSoftmax is dropped, since it does not
 * change the argmax and the buyer can apply it after decryption.
 */
import { NodeNotSupported } from "../errors.ts";
import { fitActivation } from "../activationFit.ts";
import { ACTIVATION_FUNCTIONS, type ApproximatedOp } from "../polynomialFit.ts";
import { constValue, type DroppedTailValue } from "../values.ts";
import { input, rankOf, type OpHandler } from "./context.ts";

export const approximated: OpHandler = (node, inputs, ctx) => {
  const x = input(inputs, 0);
  const op = node.opType as ApproximatedOp;
  const f = ACTIVATION_FUNCTIONS[op];
  if (x.kind === "const") return [constValue(x.dims, x.data.map(f))];
  const result = ctx.activate(x, {
    degree: ctx.degree,
    choose: ({ values, size, range }) => {
      const fit = fitActivation(op, values, size, range, ctx.degree, ctx.fitMethods);
      return { op, coefficients: fit.coefficients, range: fit.range, maxError: fit.maxError, fit: fit.report };
    },
  });
  return [result.value];
};

export const softmax: OpHandler = (node, inputs, ctx) => {
  const x = input(inputs, 0);
  if (x.kind === "const") throw new NodeNotSupported("it normalises a constant; the model output does not depend on the input");
  const op = node.opType as "Softmax" | "LogSoftmax";
  const rank = rankOf(x);
  const legacy = ctx.opset < 13;
  const raw = node.attributes.int("axis", legacy ? 1 : -1);
  const axis = raw < 0 ? raw + rank : raw;
  if (axis <= 0 || axis >= rank) throw new NodeNotSupported(`axis ${raw} ${axis === 0 ? "normalises across the batch" : "is out of range"}`);
  const sampleAxes: [number, number] = legacy ? [axis - 1, rank - 1] : [axis - 1, axis];
  ctx.drop(`${op} dropped: it does not change the argmax; apply it after decryption if probabilities are needed`);
  const tail: DroppedTailValue = { kind: "droppedTail", scores: x, op, sampleAxes };
  return [tail];
};

export const APPROXIMATED_OP_TYPES: readonly ApproximatedOp[] = ["Relu", "Sigmoid", "Tanh"];
