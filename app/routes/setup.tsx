import { data, Form, redirect, useNavigation } from 'react-router';
import type { Route } from './+types/setup';
import { AuthCard, Field, FormError, SubmitButton } from '../components/auth-card';
import { authOf, requestMetaOf } from '../context';

export const meta: Route.MetaFunction = () => [{ title: 'Set up · KhaosFlow' }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const auth = authOf(context);
  if (!(await auth.needsSetup())) throw redirect('/login');
  const token = new URL(request.url).searchParams.get('token') ?? '';
  return { token, valid: auth.isSetupToken(token) };
}

export async function action({ context, request }: Route.ActionArgs) {
  const form = await request.formData();
  const input = {
    token: String(form.get('token') ?? ''),
    email: String(form.get('email') ?? ''),
    name: String(form.get('name') ?? ''),
    password: String(form.get('password') ?? ''),
  };
  if (input.password !== String(form.get('confirm') ?? ''))
    return data({ error: 'The two passwords differ.', email: input.email, name: input.name }, { status: 422 });
  const result = await authOf(context).setup(input, requestMetaOf(context));
  if (!result.ok) return data({ error: result.message, email: input.email, name: input.name }, { status: result.status });
  throw redirect('/', { headers: { 'Set-Cookie': result.cookie } });
}

export default function Setup({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === 'submitting';
  if (!loaderData.valid) {
    return (
      <AuthCard title="Set up KhaosFlow">
        <FormError message="This setup link is not valid. Use the link KhaosFlow printed in its log when it started (it contains ?token=...)." />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create the owner account">
      <p className="mt-2 text-sm text-slate-600">The owner can manage everything, including other users.</p>
      <Form method="post" className="mt-2">
        <input type="hidden" name="token" value={loaderData.token} />
        <Field label="Name" name="name" autoComplete="name" defaultValue={actionData?.name ?? ''} />
        <Field label="Email" name="email" type="email" autoComplete="username" defaultValue={actionData?.email ?? ''} />
        <Field label="Password (at least 10 characters)" name="password" type="password" autoComplete="new-password" />
        <Field label="Password again" name="confirm" type="password" autoComplete="new-password" />
        <FormError message={actionData?.error} />
        <SubmitButton label="Create account" busy={busy} />
      </Form>
    </AuthCard>
  );
}
